using System.Text.Json.Serialization;

namespace LambdaCluster.Runtimes.Images;

[JsonSerializable(typeof(ImageRuntimeConfig))]
internal sealed partial class ImagesJsonContext : JsonSerializerContext;
