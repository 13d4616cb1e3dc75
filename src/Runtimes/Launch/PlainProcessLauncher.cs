using System.Diagnostics;
using System.Globalization;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Starts an environment as a plain child process of the node: the interpreter (or the package's
/// bootstrap) with a built environment, the code folder as working directory, and stderr merged into
/// stdout so that the order of lines is the order they were written.
/// </summary>
public sealed class PlainProcessLauncher(IOptions<EnvironmentOptions> options, TimeProvider time) : IEnvironmentLauncher
{
    public IEnvironmentProcess Launch(LaunchRequest request, Action<string> onOutputLine)
    {
        var settings = options.Value;
        var (executable, arguments) = Command(request, settings);
        // /bin/sh only joins stderr to stdout and then becomes the runtime (exec), so the root pid is the runtime's.
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = request.CodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" 2>&1");
        start.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in ProcessEnvironmentBuilder.Build(request, settings.RuntimeClientsDirectory))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The runtime process did not start.");
        process.StandardInput.Close();
        return new PlainEnvironmentProcess(process, onOutputLine, time);
    }

    private static (string Executable, IReadOnlyList<string> Arguments) Command(LaunchRequest request, EnvironmentOptions settings)
    {
        var runtimeDirectory = ProcessEnvironmentBuilder.RuntimeDirectory(request.Runtime, settings.RuntimeClientsDirectory);
        return request.Runtime.Family switch
        {
            RuntimeFamily.NodeJs =>
            (
                settings.NodeExecutable,
                [
                    // As Lambda does: cap the V8 heap below the function's memory so it collects before running out.
                    string.Create(CultureInfo.InvariantCulture, $"--max-old-space-size={Math.Max(64, request.Spec.MemorySize * 9 / 10)}"),
                    Path.Combine(runtimeDirectory, "bootstrap.mjs"),
                ]
            ),
            RuntimeFamily.Python => (settings.PythonExecutable, [Path.Combine(runtimeDirectory, "bootstrap.py")]),
            _ => ProvidedBootstrap(Path.Combine(request.CodeDirectory, "bootstrap")),
        };
    }

    /// <summary>
    /// On Amazon Linux /bin/sh is bash, and bootstraps written for Lambda (its own documentation's among them)
    /// use bash features under a <c>#!/bin/sh</c> line; here /bin/sh may be dash, so such scripts run under bash.
    /// </summary>
    private static (string Executable, IReadOnlyList<string> Arguments) ProvidedBootstrap(string bootstrap)
    {
        Span<byte> head = stackalloc byte[16];
        using (var file = File.OpenRead(bootstrap))
        {
            head = head[..file.Read(head)];
        }

        var firstLine = System.Text.Encoding.ASCII.GetString(head);
        var isShScript = firstLine.StartsWith("#!/bin/sh", StringComparison.Ordinal) && (firstLine.Length == 9 || char.IsWhiteSpace(firstLine[9]));
        return isShScript && File.Exists("/bin/bash") ? ("/bin/bash", [bootstrap]) : (bootstrap, []);
    }
}
