using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// How a container image function's process is started, as Lambda starts it: the function's ImageConfig overrides the
/// image's config member by member (https://docs.aws.amazon.com/lambda/latest/dg/images-parms.html).
/// </summary>
public static class ImageProcess
{
    /// <summary>The default working directory when neither ImageConfig nor the image names one.</summary>
    public const string DefaultWorkingDirectory = "/var/task";

    /// <summary>ImageConfig.EntryPoint (else the image's ENTRYPOINT), then ImageConfig.Command (else the image's CMD).</summary>
    public static IReadOnlyList<string> Command(ImageSpec spec, ImageRuntimeConfig config) =>
        [.. spec.EntryPoint ?? config.Entrypoint, .. spec.Command ?? config.Cmd];

    /// <summary>ImageConfig.WorkingDirectory, else the image's WORKDIR, else /var/task.</summary>
    public static string WorkingDirectory(ImageSpec spec, ImageRuntimeConfig config) =>
        spec.WorkingDirectory ?? config.WorkingDir ?? DefaultWorkingDirectory;

    /// <summary>What Lambda sets _HANDLER to for an image: the first element of its command (the handler AWS's base images take), or empty.</summary>
    public static string Handler(ImageSpec spec, ImageRuntimeConfig config) =>
        (spec.Command ?? config.Cmd) is [var first, ..] ? first : "";
}
