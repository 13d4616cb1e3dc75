using System.Text;

namespace LambdaCluster.Tests.Support;

/// <summary>
/// Puts a file into the private /tmp of every running sandbox of a function, from outside (through
/// /proc/PID/root, which root may enter): how a test signals a function that can see nothing of the host.
/// </summary>
public static class SandboxFiles
{
    /// <summary>Creates an empty /tmp/<paramref name="name"/> in each sandbox of <paramref name="functionName"/>; returns how many it reached.</summary>
    public static int Touch(string functionName, string name)
    {
        var marker = Encoding.UTF8.GetBytes($"AWS_LAMBDA_FUNCTION_NAME={functionName}\0");
        var reached = 0;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(entry);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            try
            {
                // The bubblewrap process outside the sandbox carries the same variables; only a process inside sees /var/task.
                if (File.ReadAllBytes($"/proc/{pid}/environ").AsSpan().IndexOf(marker) >= 0 && Directory.Exists($"/proc/{pid}/root/var/task"))
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
