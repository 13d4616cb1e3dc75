namespace LambdaCluster.Gateway.Console.Model;

/// <summary>GET /console-api/cluster: every active silo, by address.</summary>
public sealed record ClusterDto(string ClusterId, IReadOnlyList<SiloDto> Silos);
