namespace LambdaCluster.Gateway.S3;

/// <summary>
/// An object's metadata as kept beside its body: its key, size, ETag (quoted, as S3 returns it), when it was written,
/// its Content-Type and user metadata (x-amz-meta-*), and the file holding its bytes.
/// </summary>
public sealed record StoredObject(
    string Key,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    string ContentType,
    Dictionary<string, string> Metadata,
    string BodyFile);
