namespace LambdaCluster.Gateway.S3;

/// <summary>A multipart upload in progress: the key it will create, with the Content-Type and metadata given at its start.</summary>
public sealed record MultipartUpload(string Key, string ContentType, Dictionary<string, string> Metadata, DateTimeOffset Initiated);
