using System.Collections.Concurrent;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>
/// Faults a test switches on for one function (by name, or by its package hash for the code store), shared by every
/// silo of a cluster, so that other tests' functions are never touched.
/// </summary>
public sealed class Faults
{
    private readonly ConcurrentDictionary<string, Fault> _active = new(StringComparer.Ordinal);

    public void Set(string functionNameOrCodeHash, Fault fault) => _active[functionNameOrCodeHash] = fault;

    public void Clear(string functionNameOrCodeHash) => _active.TryRemove(functionNameOrCodeHash, out _);

    public Fault? For(string functionNameOrCodeHash) => _active.TryGetValue(functionNameOrCodeHash, out var fault) ? fault : null;
}
