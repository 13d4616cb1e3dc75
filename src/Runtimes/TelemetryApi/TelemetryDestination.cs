namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// Where a subscriber listens, inside its environment: <c>HTTP</c> (each batch a POST of a JSON array to
/// <c>http://sandbox.localdomain:port/path</c>) or <c>TCP</c> (records as newline-delimited JSON to the port).
/// </summary>
internal sealed record TelemetryDestination(bool Http, int Port, string PathAndQuery);
