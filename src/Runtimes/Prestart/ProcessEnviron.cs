using System.Globalization;
using System.Text;

namespace LambdaCluster.Runtimes.Prestart;

/// <summary>
/// Rewrites what <c>/proc/PID/environ</c> shows for a pre-started runtime once it is given its function: the kernel
/// reads that file from the process's own memory (env_start to env_end, proc(5)), which the node (root) writes through
/// <c>/proc/PID/mem</c>. A pre-started runtime is launched with a long marker variable (<see cref="Marker"/>) so that
/// the area holds any function's variables; what is left is zeros, read as empty entries at the end. The runtime client
/// empties its environment (unsetenv) before it waits, so that nothing in it points into the area any more.
/// </summary>
internal static class ProcessEnviron
{
    /// <summary>The variable marking a pre-started runtime; its value reserves the room (16 KB: Lambda's variables are at most 4 KB).</summary>
    public const string Marker = "_LAMBDA_CLUSTER_PRESTART";

    public static readonly string MarkerValue = "1" + new string(' ', 16 * 1024);

    /// <summary>
    /// Writes <paramref name="environment"/> as the environ area of each of <paramref name="pids"/> still showing the
    /// marker. False when one did not have the room (or was gone); never throws for a process that went away.
    /// </summary>
    public static bool Overwrite(IEnumerable<int> pids, IReadOnlyDictionary<string, string> environment)
    {
        var block = new StringBuilder();
        foreach (var (name, value) in environment)
        {
            block.Append(name).Append('=').Append(value).Append('\0');
        }

        var bytes = Encoding.UTF8.GetBytes(block.ToString());
        var all = true;
        foreach (var pid in pids)
        {
            try
            {
                // The runtime only: bubblewrap's processes carry the same area, and read it no more either, but are not the function.
                if (File.ReadAllText($"/proc/{pid}/comm").Trim() is "bwrap" or "nsenter" or "sh"
                    || !File.ReadAllText($"/proc/{pid}/environ").Contains(Marker + "=", StringComparison.Ordinal))
                {
                    continue;
                }

                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var start = long.Parse(fields[47], CultureInfo.InvariantCulture); // env_start, field 50 of proc(5)
                var end = long.Parse(fields[48], CultureInfo.InvariantCulture);   // env_end, field 51
                if (bytes.Length > end - start)
                {
                    all = false;
                    continue;
                }

                var area = new byte[end - start];
                bytes.CopyTo(area, 0);
                using var memory = new FileStream($"/proc/{pid}/mem", FileMode.Open, FileAccess.Write);
                memory.Seek(start, SeekOrigin.Begin);
                memory.Write(area);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Gone meanwhile (or a process that is not the runtime's).
            }
        }

        return all;
    }
}
