using System.Globalization;
using LambdaCluster.Runtimes.Environments;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// This machine's load for placement: live and starting environments, free Runtime API slots, CPU use
/// since the previous sample (from /proc/stat) and memory in use (from /proc/meminfo).
/// </summary>
public sealed class NodeLoadSampler(EnvironmentSupervisor supervisor)
{
    private readonly Lock _gate = new();
    private (long Busy, long Total) _previousCpu;
    private double _cpu;

    public NodeLoad Sample(SiloAddress silo)
    {
        lock (_gate)
        {
            if (ReadCpu() is { } cpu)
            {
                var total = cpu.Total - _previousCpu.Total;
                if (total > 0)
                {
                    _cpu = Math.Clamp((double)(cpu.Busy - _previousCpu.Busy) / total, 0, 1);
                }

                _previousCpu = cpu;
            }

            return new NodeLoad(silo, supervisor.Count, supervisor.InitializingCount, supervisor.FreeSlots, _cpu, ReadMemoryUsage());
        }
    }

    private static (long Busy, long Total)? ReadCpu()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 5 || fields[0] != "cpu")
            {
                return null;
            }

            var values = fields.Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = values[3] + (values.Length > 4 ? values[4] : 0); // idle + iowait
            var total = values.Sum();
            return (total - idle, total);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double ReadMemoryUsage()
    {
        try
        {
            long total = 0, available = 0;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    total = Kilobytes(line);
                }
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    available = Kilobytes(line);
                }
            }

            return total > 0 ? 1 - ((double)available / total) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
