namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>EFS's CreationInfo: how a missing root directory is made.</summary>
public sealed class CreationInfoOptions
{
    public long OwnerUid { get; set; }

    public long OwnerGid { get; set; }

    /// <summary>Octal permissions, e.g. 750 or 0755.</summary>
    public string Permissions { get; set; } = "755";
}
