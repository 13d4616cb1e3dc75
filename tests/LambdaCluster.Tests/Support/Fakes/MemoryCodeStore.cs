using System.Collections.Concurrent;
using LambdaCluster.Runtimes.Code;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>Packages in memory; <see cref="Failure"/> makes every read throw (an I/O error on the node).</summary>
public sealed class MemoryCodeStore : ICodeStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public Exception? Failure { get; set; }

    public Task PutAsync(string sha256Hex, ReadOnlyMemory<byte> zip, CancellationToken cancellationToken)
    {
        _blobs[sha256Hex] = zip.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string sha256Hex, CancellationToken cancellationToken) =>
        Failure is not null ? Task.FromException<byte[]?>(Failure) : Task.FromResult(_blobs.GetValueOrDefault(sha256Hex));

    public Task DeleteAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        _blobs.TryRemove(sha256Hex, out _);
        return Task.CompletedTask;
    }
}
