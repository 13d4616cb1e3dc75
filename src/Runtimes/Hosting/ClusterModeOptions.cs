namespace LambdaCluster.Runtimes.Hosting;

/// <summary>
/// Cluster mode (section <c>Cluster</c>). With <see cref="Redis"/> unset the node is the embedded default:
/// localhost clustering and a local data directory. With it set, membership, function state, code blobs
/// and logs all live in that Redis, so any node can serve any function.
/// </summary>
public sealed class ClusterModeOptions
{
    public const string Section = "Cluster";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>. Null: embedded default.</summary>
    public string? Redis { get; set; }

    /// <summary>Orleans ClusterId: nodes with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "lambda";

    /// <summary>Orleans ServiceId: part of every stored key; changing it orphans stored state.</summary>
    public string ServiceId { get; set; } = "lambda-cluster";

    /// <summary>Prefix of this project's own Redis keys (code blobs, logs).</summary>
    public string KeyPrefix { get; set; } = "lambda:";

    /// <summary>The address other silos reach this one on (loopback unless configured).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every address rather than only the advertised one (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>Use Orleans' Kubernetes hosting (pod name, namespace and IP from the downward API).</summary>
    public bool Kubernetes { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);
}
