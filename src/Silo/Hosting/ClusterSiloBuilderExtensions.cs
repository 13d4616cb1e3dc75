using System.Net;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Orleans.Hosting;

public static class ClusterSiloBuilderExtensions
{
    /// <summary>
    /// Cluster mode: membership and function state in Redis, silo endpoints on the advertised address (or
    /// from Kubernetes), failure detection tuned so a dead silo is noticed in seconds.
    /// </summary>
    public static ISiloBuilder UseClusterNode(this ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = ClusterMode(configuration);
        var ports = configuration.GetSection(SiloEndpointOptions.Section).Get<SiloEndpointOptions>() ?? new SiloEndpointOptions();
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis!));
        silo.AddRedisGrainStorage(GrainStorageNames.Functions, options => options.Configure<Serializer, StateKey>((o, serializer, key) =>
        {
            o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis!);
            o.GrainStorageSerializer = GrainsSiloBuilderExtensions.StateSerializer(serializer, key);
        }));
        if (cluster.Kubernetes)
        {
            silo.UseKubernetesHosting();
        }
        else
        {
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), ports.SiloPort, ports.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
        }

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // A killed node's environments (and in-flight invocations) are replaced once it is declared dead:
            // two missed 2-second probes rather than Orleans' default of three 5-second ones.
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
        });
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ClusterModeOptions.Section}:Membership"));
        silo.AddActivityPropagation();
        silo.AddLambdaGrains(configuration);
        return silo;
    }

    /// <summary>A gateway-only process: an Orleans client of the cluster found through Redis membership.</summary>
    public static IClientBuilder UseClusterClient(this IClientBuilder client, IConfiguration configuration)
    {
        var cluster = ClusterMode(configuration);
        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis!));
        client.AddActivityPropagation();
        return client;
    }

    private static ClusterModeOptions ClusterMode(IConfiguration configuration) =>
        configuration.GetSection(ClusterModeOptions.Section).Get<ClusterModeOptions>() is { Enabled: true } cluster
            ? cluster
            : throw new InvalidOperationException($"{ClusterModeOptions.Section}:{nameof(ClusterModeOptions.Redis)} must be set for cluster mode.");
}
