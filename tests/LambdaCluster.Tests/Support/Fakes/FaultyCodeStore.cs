using LambdaCluster.Runtimes.Code;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>A real code store, except for packages a test made fail (<see cref="Fault.CodeStoreThrows"/>, <see cref="Fault.BlobMissing"/>).</summary>
public sealed class FaultyCodeStore(ICodeStore inner, Faults faults) : ICodeStore
{
    public Task PutAsync(string sha256Hex, ReadOnlyMemory<byte> zip, CancellationToken cancellationToken) => inner.PutAsync(sha256Hex, zip, cancellationToken);

    public Task<byte[]?> GetAsync(string sha256Hex, CancellationToken cancellationToken) => faults.For(sha256Hex) switch
    {
        Fault.CodeStoreThrows => Task.FromException<byte[]?>(new IOException($"Injected: reading {sha256Hex} failed.")),
        Fault.BlobMissing => Task.FromResult<byte[]?>(null),
        _ => inner.GetAsync(sha256Hex, cancellationToken),
    };

    public Task DeleteAsync(string sha256Hex, CancellationToken cancellationToken) => inner.DeleteAsync(sha256Hex, cancellationToken);
}
