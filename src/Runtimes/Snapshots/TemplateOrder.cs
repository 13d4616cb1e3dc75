namespace LambdaCluster.Runtimes.Snapshots;

/// <summary>
/// What the node answers a SnapStart template's parked <c>GET /runtime/restore/next</c> with: fork a new environment
/// onto <see cref="ForkApi"/> (its Runtime API, host:port) writing its output to <see cref="OutputPipe"/> (a path as the
/// template sees it) with its own <see cref="Credentials"/> (the template's were issued when it started, and expire),
/// or reap the exited fork <see cref="ReapPid"/> (a pid in the template's namespace).
/// </summary>
internal sealed record TemplateOrder(string? ForkApi, string? OutputPipe, int? ReapPid, Credentials.EnvironmentCredentials? Credentials = null);
