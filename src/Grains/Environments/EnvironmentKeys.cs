using Orleans.Runtime;

namespace LambdaCluster.Grains.Environments;

/// <summary>
/// Keys of execution-environment grains: <c>{silo address}/{32 hex digits}</c>. The silo part pins the
/// grain (and its process) to that silo; the hex part is the environment id Lambda puts in the log stream name.
/// </summary>
public static class EnvironmentKeys
{
    public static string Create(SiloAddress silo) => $"{silo.ToParsableString()}/{Guid.NewGuid():N}";

    public static SiloAddress Silo(string key) => SiloAddress.FromParsableString(key[..key.LastIndexOf('/')]);

    public static string EnvironmentId(string key) => key[(key.LastIndexOf('/') + 1)..];
}
