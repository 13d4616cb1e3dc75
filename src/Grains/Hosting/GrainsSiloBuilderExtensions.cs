using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Hosting;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>The grains' silo-side needs: pinned placement of environments and the invoker.</summary>
    public static ISiloBuilder AddLambdaGrains(this ISiloBuilder silo)
    {
        silo.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        silo.Services.AddSingleton<FunctionInvoker>();
        return silo;
    }

    /// <summary>Function state as files under <paramref name="directory"/> (the embedded default).</summary>
    public static ISiloBuilder AddFileFunctionStorage(this ISiloBuilder silo, string directory)
    {
        silo.Services.AddGrainStorage(GrainStorageNames.Functions, (sp, _) =>
            new FileGrainStorage(directory, new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
        return silo;
    }
}
