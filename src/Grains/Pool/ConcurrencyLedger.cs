namespace LambdaCluster.Grains.Pool;

/// <summary>
/// A pool's concurrency arithmetic: how many of its environments are leased (busy, or held between calls by a silo's
/// dispatcher) against the block of concurrency it holds, from the account's unreserved concurrency or from the
/// function's reservation. The pool asks its source for more only when the block is used up, sized for everyone
/// waiting (and at least an eighth of what is leased, so a growing pool asks rarely), and gives back only what exceeds
/// max(8, leased), so traffic that swings within a factor of two never asks again. Not thread-safe: one pool owns it.
/// </summary>
internal sealed class ConcurrencyLedger
{
    /// <summary>Environments leased right now.</summary>
    public int Leased { get; private set; }

    /// <summary>Concurrency held from the source.</summary>
    public int Held { get; private set; }

    /// <summary>True when one more lease fits in the block.</summary>
    public bool Covered => Leased < Held;

    /// <summary>How much to ask the source for when <paramref name="waiting"/> acquires wait for cover.</summary>
    public int RequestSize(int waiting) => Math.Max(waiting, Math.Max(1, Leased / 8));

    public void Grant(int count) => Held += count;

    public void Lease() => Leased++;

    public void Return() => Leased = Math.Max(0, Leased - 1);

    /// <summary>What exceeds max(8, leased): taken out of the block, to be given back.</summary>
    public int TakeSurplus()
    {
        var surplus = Held - Leased - Math.Max(8, Leased);
        return Take(surplus);
    }

    /// <summary>Everything not leased: taken out of the block, to be given back (idle pool, or a neighbour needs it).</summary>
    public int TakeUnused() => Take(Held - Leased);

    /// <summary>The whole block, leased part included (the source changed, or the pool goes away).</summary>
    public int TakeAll() => Take(Held);

    private int Take(int count)
    {
        if (count <= 0)
        {
            return 0;
        }

        Held -= count;
        return count;
    }
}
