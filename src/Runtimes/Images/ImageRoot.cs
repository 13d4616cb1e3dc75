namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// An image unpacked on this node: its root folder (shown read-only as the sandbox's /), what its config says to run,
/// and how long this node took to pull and unpack it (0 when it was already there).
/// </summary>
public sealed record ImageRoot(string Directory, ImageRuntimeConfig Config, double PullMs, double UnpackMs);
