namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// This node's memory budget for pre-warmed environments (<see cref="Hosting.EnvironmentOptions.PrewarmBudgetMb"/>):
/// an environment started ahead of a predicted call charges its function's MemorySize until its first invocation or
/// its end, whichever comes first. Thread-safe: environments start and stop on any thread.
/// </summary>
public sealed class PrewarmBudget(int megabytes)
{
    private int _used;

    /// <summary>The budget in MB.</summary>
    public int Megabytes { get; } = megabytes;

    /// <summary>MB charged now.</summary>
    public int UsedMb => Volatile.Read(ref _used);

    /// <summary>Charges <paramref name="memoryMb"/> if it fits in what is left; false (nothing charged) if not.</summary>
    public bool TryCharge(int memoryMb)
    {
        var used = Volatile.Read(ref _used);
        while (true)
        {
            if ((long)used + memoryMb > Megabytes)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _used, used + memoryMb, used);
            if (seen == used)
            {
                return true;
            }

            used = seen;
        }
    }

    /// <summary>Gives back what <see cref="TryCharge"/> took; once per charge.</summary>
    public void Refund(int memoryMb) => Interlocked.Add(ref _used, -memoryMb);
}
