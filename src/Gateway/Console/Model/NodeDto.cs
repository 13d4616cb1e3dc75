namespace LambdaCluster.Gateway.Console.Model;

/// <summary>GET /console-api/node: the account and region of this cluster, and the runtimes its nodes serve.</summary>
public sealed record NodeDto(string AccountId, string Region, IReadOnlyList<string> Runtimes);
