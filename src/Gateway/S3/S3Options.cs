namespace LambdaCluster.Gateway.S3;

/// <summary>
/// The built-in S3-compatible object API and S3 event notifications (section <c>S3</c>).
/// </summary>
public sealed class S3Options
{
    public const string Section = "S3";

    /// <summary>
    /// Where buckets and objects are kept, as files (default: <c>s3</c> under Node:DataDirectory). Every node serving the
    /// API in a cluster must see the same folder (a shared mount).
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Endpoints that take S3-style event notifications from other object stores (MinIO, Ceph RGW) for one function each.</summary>
    public List<S3WebhookOptions> Webhooks { get; set; } = [];
}
