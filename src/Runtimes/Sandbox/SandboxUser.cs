namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>The host identity an environment's processes run as: its own user and group, or an access point's POSIX user.</summary>
internal sealed record SandboxUser(long Uid, long Gid, IReadOnlyList<long> SupplementaryGids);
