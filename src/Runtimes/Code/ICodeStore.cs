namespace LambdaCluster.Runtimes.Code;

/// <summary>
/// Content-addressed storage of deployment packages, keyed by the lower-case hex SHA-256 of the zip.
/// Writing the same bytes twice is a no-op; a blob is never changed once written.
/// </summary>
public interface ICodeStore
{
    Task PutAsync(string sha256Hex, ReadOnlyMemory<byte> zip, CancellationToken cancellationToken);

    /// <summary>The package bytes, or null when no blob has that hash.</summary>
    Task<byte[]?> GetAsync(string sha256Hex, CancellationToken cancellationToken);

    Task DeleteAsync(string sha256Hex, CancellationToken cancellationToken);
}
