using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.S3;

/// <summary>The object store's own files (object metadata, multipart uploads, bucket records).</summary>
[JsonSerializable(typeof(StoredObject))]
[JsonSerializable(typeof(MultipartUpload))]
[JsonSerializable(typeof(DateTimeOffset))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
