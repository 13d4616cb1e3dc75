using System.Globalization;

namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// External extensions: every entry of /opt/extensions that is not a folder (what the function's layers put there) is
/// started, before the runtime, as a process of the environment (the Lambda guide's runtimes-extensions-api, "Extension
/// init"; the Runtime Interface Emulator's agents/agent.go).
/// <para>
/// The environment's root process is a bash script (<see cref="Script"/>) that starts each extension in the background
/// without the variables Lambda keeps from extensions (those starting with <c>_</c>, and <c>AWS_XRAY_CONTEXT_MISSING</c>),
/// asks the node whether the runtime may start (<c>GET /2020-01-01/lambda-cluster/runtime/start</c> on the environment's
/// Runtime API, answered once every extension registered), then becomes the runtime (exec: the root pid is the
/// runtime's). When an extension's process ends, its subshell tells the node how
/// (<c>POST /2020-01-01/lambda-cluster/extension/exited</c>): a crash unless the environment is shutting down. Both are
/// this node's own routes, reached with bash's /dev/tcp, on the environment's own endpoint.
/// </para>
/// </summary>
internal static class ExternalExtensions
{
    /// <summary>Where Lambda looks for external extensions, under /opt.</summary>
    public const string Folder = "extensions";

    /// <summary>The shell the script runs in (bash: its /dev/tcp reaches the Runtime API without curl in the environment).</summary>
    public const string Shell = "/bin/bash";

    /// <summary>
    /// $1.. are the extensions' paths up to <c>--</c>, then the runtime's command. Each request is written whole and its
    /// answer read to the end (the node closes the connection): the start request waits there until the runtime may start.
    /// </summary>
    private const string Script =
        """
        api=$AWS_LAMBDA_RUNTIME_API
        call() { exec 9<>"/dev/tcp/${api%:*}/${api##*:}" || return; printf "$@" >&9; cat <&9 >/dev/null; exec 9<&-; }
        while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
          ( for v in $(compgen -e); do case $v in _*|AWS_XRAY_CONTEXT_MISSING) unset "$v";; esac; done
            "$1"; s=$?
            call 'POST /2020-01-01/lambda-cluster/extension/exited HTTP/1.1\r\nHost: %s\r\nLambda-Extension-Name: %s\r\nLambda-Cluster-Exit-Status: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "$api" "${1##*/}" "$s" ) &
          shift
        done
        shift
        call 'GET /2020-01-01/lambda-cluster/runtime/start HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$api"
        exec "$@"
        """;

    /// <summary>
    /// The file names of the external extensions in <paramref name="layersDirectory"/> (the host's /opt), in order; none
    /// without layers. In a container image's root (<paramref name="imageRoot"/>), only what really is there counts: /opt,
    /// its extensions folder and the extensions themselves must not be symbolic links, which the host would follow out of the image.
    /// </summary>
    public static IReadOnlyList<string> Discover(string? layersDirectory, bool imageRoot = false)
    {
        var folder = layersDirectory is null ? null : Path.Combine(layersDirectory, Folder);
        if (folder is null || !Directory.Exists(folder)
            || (imageRoot && (new DirectoryInfo(layersDirectory!).LinkTarget is not null || new DirectoryInfo(folder).LinkTarget is not null)))
        {
            return [];
        }

        return [.. new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(entry => imageRoot ? entry is FileInfo { LinkTarget: null } : !Directory.Exists(entry.FullName))
            .Select(entry => entry.Name)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// <paramref name="runtimeCommand"/> started after <paramref name="extensions"/> (file names under <paramref name="optRoot"/>/extensions,
    /// as the process sees /opt); the command itself when there are none.
    /// </summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> runtimeCommand, string optRoot, IReadOnlyList<string>? extensions) =>
        extensions is not { Count: > 0 } ? runtimeCommand
            : [Shell, "-c", Script, "lambda-extensions", .. extensions.Select(name => $"{optRoot}/{Folder}/{name}"), "--", .. runtimeCommand];

    /// <summary>How a process ended, from the shell's status, as Lambda words it: "exit status 1", "signal: killed".</summary>
    public static string DescribeExit(int status) => status switch
    {
        > 128 and < 160 => (status - 128) switch
        {
            9 => "signal: killed",
            15 => "signal: terminated",
            11 => "signal: segmentation fault",
            6 => "signal: aborted",
            2 => "signal: interrupt",
            var signal => string.Create(CultureInfo.InvariantCulture, $"signal: {signal}"),
        },
        _ => string.Create(CultureInfo.InvariantCulture, $"exit status {status}"),
    };
}
