namespace LambdaCluster.Grains.Invocation;

/// <summary>Keys of dispatcher grains: <c>{silo address}/dispatcher</c>, the form the silo-pinned placement reads.</summary>
public static class DispatcherKeys
{
    public static string For(SiloAddress silo) => $"{silo.ToParsableString()}/dispatcher";
}
