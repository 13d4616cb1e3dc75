namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// The one seam through which an environment's process comes to life. Today it starts a plain process;
/// later launchers put the same request into an isolated sandbox, or clone it from an already-initialised
/// template (snapshot-style warm start) instead of starting a fresh interpreter.
/// </summary>
public interface IEnvironmentLauncher
{
    /// <summary>
    /// Starts the process tree. Every line it writes to stdout or stderr is passed to <paramref name="onOutputLine"/>,
    /// in order, on a background thread.
    /// </summary>
    IEnvironmentProcess Launch(LaunchRequest request, Action<string> onOutputLine);

    /// <summary>The environment variables <see cref="Launch"/> would start <paramref name="request"/>'s runtime with (what a pre-started runtime is given).</summary>
    IReadOnlyDictionary<string, string> EnvironmentFor(LaunchRequest request) => ProcessEnvironmentBuilder.Build(request, "/var/runtime");
}
