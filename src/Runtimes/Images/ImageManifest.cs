namespace LambdaCluster.Runtimes.Images;

/// <summary>One linux/amd64 image: its manifest's digest (what Lambda pins), its config blob, and its layers, bottom first.</summary>
public sealed record ImageManifest(string Digest, string ConfigDigest, IReadOnlyList<ImageLayer> Layers);
