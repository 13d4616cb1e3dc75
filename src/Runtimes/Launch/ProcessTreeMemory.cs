namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Peak resident memory of a process tree, read from /proc (VmHWM of each process, summed over the
/// tree): what Lambda reports as Max Memory Used, measured rather than guessed.
/// </summary>
internal static class ProcessTreeMemory
{
    public static int PeakMegabytes(int rootPid)
    {
        long kilobytes = 0;
        var pending = new Stack<int>();
        pending.Push(rootPid);
        var seen = new HashSet<int>();
        while (pending.Count > 0 && seen.Count < 1024)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid))
            {
                continue;
            }

            kilobytes += ReadHighWaterMark(pid);
            foreach (var child in Children(pid))
            {
                pending.Push(child);
            }
        }

        return (int)Math.Max(1, (kilobytes + 1023) / 1024);
    }

    private static long ReadHighWaterMark(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(6).Trim();
                    var space = digits.IndexOf(' ');
                    return long.TryParse(space < 0 ? digits : digits[..space], out var kb) ? kb : 0;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private static IEnumerable<int> Children(int pid)
    {
        var result = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var text = File.ReadAllText(Path.Combine(task, "children"));
                foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(part, out var child))
                    {
                        result.Add(child);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return result;
    }
}
