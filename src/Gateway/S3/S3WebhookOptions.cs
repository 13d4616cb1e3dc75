namespace LambdaCluster.Gateway.S3;

/// <summary>
/// One notification endpoint, <c>POST /s3-events/{Id}</c>: an object store's webhook (MinIO's notify_webhook, Ceph RGW's
/// HTTP push endpoint) posts its S3-format <c>Records</c> there with <c>Authorization: Bearer {Token}</c>, and the
/// function runs once per record, asynchronously.
/// </summary>
public sealed class S3WebhookOptions
{
    /// <summary>The endpoint's name in its path (letters, digits, '-' and '_').</summary>
    public string Id { get; set; } = "";

    /// <summary>The function (name or ARN, optionally qualified) the events go to.</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>The secret the object store sends (at least 16 characters).</summary>
    public string Token { get; set; } = "";
}
