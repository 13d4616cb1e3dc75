namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>The Runtime API's error body: <c>{"errorMessage":…,"errorType":…}</c>.</summary>
internal sealed record RuntimeApiError(string ErrorMessage, string ErrorType);
