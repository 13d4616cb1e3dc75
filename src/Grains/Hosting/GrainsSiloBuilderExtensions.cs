using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Pollers;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Credentials;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Hosting;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// The grains' silo-side needs: pinned placement of environments and node agents, this silo's view of
    /// the cluster (membership and load), the concurrency quotas and the invoker.
    /// </summary>
    public static ISiloBuilder AddLambdaGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        silo.Services.AddOptions<ConcurrencyOptions>().Bind(configuration.GetSection(ConcurrencyOptions.Section)).ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<ConcurrencyOptions>, ConcurrencyOptionsValidator>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddOptions<StateEncryptionOptions>().Bind(configuration.GetSection(StateEncryptionOptions.Section));
        silo.Services.TryAddSingleton<StateKey>();
        silo.Services.TryAddSingleton<FunctionCredentials>();
        silo.Services.AddSingleton<ICredentialIssuer>(sp => sp.GetRequiredService<FunctionCredentials>()); // over the runtimes' default (none)
        silo.Services.AddSingleton<NodeLoadSampler>();
        silo.Services.AddSingleton<SiloDepartures>();
        silo.Services.AddSingleton<ClusterView>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<ClusterView>());
        silo.Services.AddSingleton<LocalEnvironments>();
        silo.Services.AddSingleton<InvocationDispatcher>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<InvocationDispatcher>());
        silo.Services.TryAddSingleton<FunctionInvoker>();
        silo.Services.AddOptions<AsyncInvokeOptions>().Bind(configuration.GetSection(AsyncInvokeOptions.Section));
        silo.Services.TryAddSingleton<AsyncInvocations>();
        silo.Services.AddSingleton<DestinationDelivery>();
        silo.Services.AddHostedService<PollerKeeper>();
        return silo;
    }

    /// <summary>
    /// What a gateway-only process (an Orleans client) needs to invoke: the invoker, and a watch on the
    /// cluster's silos so that invocations on a silo that dies fail at once.
    /// </summary>
    public static IServiceCollection AddLambdaClient(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SiloDepartures>();
        services.AddSingleton<ClientSilos>();
        services.AddHostedService<ClientSiloWatcher>();
        services.TryAddSingleton<FunctionInvoker>();
        services.TryAddSingleton<AsyncInvocations>();
        return services;
    }

    /// <summary>Function state as files under <paramref name="directory"/> (the embedded default).</summary>
    public static ISiloBuilder AddFileFunctionStorage(this ISiloBuilder silo, string directory)
    {
        silo.Services.AddGrainStorage(GrainStorageNames.Functions, (sp, _) => new FileGrainStorage(directory, StateSerializer(sp.GetRequiredService<Serializer>(), sp.GetRequiredService<StateKey>())));
        return silo;
    }

    /// <summary>How grain state is serialized for storage: Orleans' binary format, encrypted under the cluster's key.</summary>
    public static IGrainStorageSerializer StateSerializer(Serializer serializer, StateKey key) =>
        new EncryptedGrainStorageSerializer(new OrleansGrainStorageSerializer(serializer), key);
}
