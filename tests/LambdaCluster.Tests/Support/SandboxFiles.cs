using System.Text;

namespace LambdaCluster.Tests.Support;

/// <summary>
/// The host's view of a function's processes (found by the AWS_LAMBDA_FUNCTION_NAME in their environment, which root may
/// read), and a way into their sandboxes: a file put into the private /tmp through /proc/PID/root is how a test signals a
/// function that can see nothing of the host.
/// </summary>
public static class SandboxFiles
{
    /// <summary>Every host process of <paramref name="functionName"/> (the bubblewrap process outside its sandbox included), with its environment variables.</summary>
    public static IReadOnlyList<(int Pid, string[] Variables)> ProcessesOf(string functionName)
    {
        var marker = Encoding.UTF8.GetBytes($"AWS_LAMBDA_FUNCTION_NAME={functionName}\0");
        var found = new List<(int, string[])>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(entry, "environ"));
                if (environ.AsSpan().IndexOf(marker) >= 0)
                {
                    found.Add((pid, Encoding.UTF8.GetString(environ).Split('\0')));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }

        return found;
    }

    /// <summary>Creates an empty /tmp/<paramref name="name"/> in each sandbox of <paramref name="functionName"/>; returns how many it reached.</summary>
    public static int Touch(string functionName, string name)
    {
        var reached = 0;
        foreach (var (pid, _) in ProcessesOf(functionName))
        {
            try
            {
                // The bubblewrap process outside the sandbox carries the same variables; only a process inside sees /var/task.
                if (Directory.Exists($"/proc/{pid}/root/var/task"))
                {
                    File.WriteAllText($"/proc/{pid}/root/tmp/{name}", "");
                    reached++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }

        return reached;
    }
}
