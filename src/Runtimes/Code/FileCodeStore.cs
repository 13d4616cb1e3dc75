using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Code;

/// <summary>Deployment packages as files under <c>{DataDirectory}/blobs</c> (the embedded default).</summary>
public sealed class FileCodeStore(IOptions<NodeOptions> options) : ICodeStore
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(options.Value.DataDirectory, "blobs")).FullName;

    public async Task PutAsync(string sha256Hex, ReadOnlyMemory<byte> zip, CancellationToken cancellationToken)
    {
        var path = PathFor(sha256Hex);
        if (File.Exists(path))
        {
            return;
        }

        // Write then rename so that a crash never leaves a truncated blob under its final name.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, zip.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> GetAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        var path = PathFor(sha256Hex);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public Task DeleteAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        File.Delete(PathFor(sha256Hex));
        return Task.CompletedTask;
    }

    private string PathFor(string sha256Hex) =>
        Path.Combine(_root, CodeHash.IsValidHex(sha256Hex) ? $"{sha256Hex}.zip" : throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256Hex)));
}
