using System.Diagnostics;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>Runs one of the host's network tools (nft, ip, nsenter) to completion.</summary>
internal static class HostCommand
{
    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/>, <paramref name="input"/> (if any) on its
    /// standard input; returns its standard output. Throws InvalidOperationException with its standard error when it
    /// exits non-zero, Win32Exception when it cannot start.
    /// </summary>
    public static string Run(string executable, IReadOnlyList<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', arguments)}: {error.Trim()}");
    }
}
