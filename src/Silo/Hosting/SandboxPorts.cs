using LambdaCluster.Runtimes.Hosting;
using StackExchange.Redis;

namespace LambdaCluster.Silo.Hosting;

/// <summary>
/// The node's own ports, as sandboxed functions must see them: its Lambda API reachable (functions call the cluster with
/// the SDKs), its Orleans silo and gateway ports and the cluster's Redis closed on every address.
/// </summary>
public static class SandboxPorts
{
    /// <summary>
    /// Adds to <paramref name="environments"/>: the port of <c>Gateway:Url</c> to ReachableLocalPorts (not on a Compute
    /// node, which serves no API); <c>Silo:SiloPort</c>, <c>Silo:GatewayPort</c> and every Redis port of <c>Cluster:Redis</c>
    /// (6379 when unnamed) to BlockedPorts.
    /// </summary>
    public static void Apply(EnvironmentOptions environments, IConfiguration configuration, NodeRole role)
    {
        if (role != NodeRole.Compute && Uri.TryCreate(configuration["Gateway:Url"] ?? "http://127.0.0.1:9000", UriKind.Absolute, out var api))
        {
            environments.ReachableLocalPorts.Add(api.Port);
        }

        var orleans = configuration.GetSection(SiloEndpointOptions.Section).Get<SiloEndpointOptions>() ?? new SiloEndpointOptions();
        environments.BlockedPorts.Add(orleans.SiloPort);
        environments.BlockedPorts.Add(orleans.GatewayPort);
        if (configuration["Cluster:Redis"] is { Length: > 0 } redis)
        {
            foreach (var endpoint in ConfigurationOptions.Parse(redis).EndPoints)
            {
                environments.BlockedPorts.Add(endpoint switch
                {
                    System.Net.DnsEndPoint dns => dns.Port == 0 ? 6379 : dns.Port,
                    System.Net.IPEndPoint ip => ip.Port == 0 ? 6379 : ip.Port,
                    _ => 6379,
                });
            }
        }

        environments.BlockedPorts = [.. environments.BlockedPorts.Distinct()];
        environments.ReachableLocalPorts = [.. environments.ReachableLocalPorts.Distinct()];
    }
}
