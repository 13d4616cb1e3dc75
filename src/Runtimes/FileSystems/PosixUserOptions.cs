namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>EFS's PosixUser: the identity an access point enforces.</summary>
public sealed class PosixUserOptions
{
    /// <summary>The user id (0 to 4294967294, as EFS allows; root is refused here).</summary>
    public long Uid { get; set; }

    /// <summary>The group id.</summary>
    public long Gid { get; set; }

    /// <summary>Further group ids (at most 16, as EFS allows).</summary>
    public List<long> SecondaryGids { get; set; } = [];
}
