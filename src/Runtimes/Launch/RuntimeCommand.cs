using System.Globalization;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Hosting;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// The command line that starts a function's runtime: the interpreter with this node's runtime client, or a custom
/// runtime's <c>bootstrap</c>. Paths are as the process sees them (the host's, or the sandbox's /var/task and /var/runtime).
/// </summary>
internal static class RuntimeCommand
{
    /// <summary>
    /// The executable and its arguments. <paramref name="codeDirectory"/> and <paramref name="runtimeDirectory"/> are the
    /// process's view; the bootstrap's first line is read from the host's copy (<see cref="LaunchRequest.CodeDirectory"/>).
    /// </summary>
    public static (string Executable, IReadOnlyList<string> Arguments) For(LaunchRequest request, EnvironmentOptions settings, string codeDirectory, string runtimeDirectory) =>
        request.Runtime.Family switch
        {
            RuntimeFamily.NodeJs =>
            (
                settings.NodeExecutable,
                [.. NodeOptions(request.Spec.MemorySize), Path.Combine(runtimeDirectory, "bootstrap.mjs")]
            ),
            RuntimeFamily.Python => (settings.PythonExecutable, [Path.Combine(runtimeDirectory, "bootstrap.py")]),
            _ => ProvidedBootstrap(Path.Combine(request.CodeDirectory, "bootstrap"), Path.Combine(codeDirectory, "bootstrap")),
        };

    /// <summary>
    /// Node.js's options as Lambda's own bootstrap gives them (and AWS's runtime interface client expects them):
    /// <c>global.gc</c>, 80 KiB of HTTP headers, and the V8 heap sized from the function's memory (MB): a tenth for
    /// the young generation (two semi-spaces), the rest for the old one, so that it collects before the limit kills it.
    /// </summary>
    internal static string[] NodeOptions(int memorySizeMb)
    {
        var youngGeneration = memorySizeMb / 10;
        return
        [
            "--expose-gc",
            "--max-http-header-size=81920",
            string.Create(CultureInfo.InvariantCulture, $"--max-semi-space-size={Math.Max(1, youngGeneration / 2)}"),
            string.Create(CultureInfo.InvariantCulture, $"--max-old-space-size={Math.Max(64, memorySizeMb - youngGeneration)}"),
        ];
    }

    /// <summary>
    /// On Amazon Linux /bin/sh is bash, and bootstraps written for Lambda (its own documentation's among them)
    /// use bash features under a <c>#!/bin/sh</c> line; here /bin/sh may be dash, so such scripts run under bash.
    /// </summary>
    private static (string Executable, IReadOnlyList<string> Arguments) ProvidedBootstrap(string hostBootstrap, string bootstrap)
    {
        Span<byte> head = stackalloc byte[16];
        using (var file = File.OpenRead(hostBootstrap))
        {
            head = head[..file.Read(head)];
        }

        var firstLine = System.Text.Encoding.ASCII.GetString(head);
        var isShScript = firstLine.StartsWith("#!/bin/sh", StringComparison.Ordinal) && (firstLine.Length == 9 || char.IsWhiteSpace(firstLine[9]));
        return isShScript && File.Exists("/bin/bash") ? ("/bin/bash", [bootstrap]) : (bootstrap, []);
    }
}
