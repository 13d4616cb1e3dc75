using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Orleans.Hosting;

public static class EmbeddedSiloBuilderExtensions
{
    /// <summary>
    /// The embedded default: one silo on localhost clustering, function state as files under the data
    /// directory. Nothing else needs to be installed or running.
    /// </summary>
    public static ISiloBuilder UseEmbeddedNode(this ISiloBuilder silo, IConfiguration configuration)
    {
        var ports = configuration.GetSection(SiloEndpointOptions.Section).Get<SiloEndpointOptions>() ?? new SiloEndpointOptions();
        var node = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        silo.UseLocalhostClustering(ports.SiloPort, ports.GatewayPort, serviceId: "lambda-cluster", clusterId: "embedded");
        silo.AddFileFunctionStorage(Path.Combine(node.DataDirectory, "state"));
        silo.AddActivityPropagation();
        silo.AddLambdaGrains(configuration);
        return silo;
    }
}
