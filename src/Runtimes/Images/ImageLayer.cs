namespace LambdaCluster.Runtimes.Images;

/// <summary>A layer blob: its digest, compressed size and media type (a tar, gzip-compressed or not).</summary>
public sealed record ImageLayer(string Digest, long Size, string MediaType);
