using System.Collections.Concurrent;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Code;

/// <summary>
/// This node's unpacked copies of deployment packages, one folder per package hash, unpacked once
/// and shared read-only by every environment of every function that uses the same bytes.
/// </summary>
public sealed class CodeCache(ICodeStore store, IOptions<NodeOptions> options)
{
    private readonly string _root = Path.Combine(options.Value.DataDirectory, "code");
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _unpacking = new();

    /// <summary>The folder holding the unpacked package; unpacks it on first use.</summary>
    public Task<string> GetDirectoryAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        var lazy = _unpacking.GetOrAdd(sha256Hex, hash => new Lazy<Task<string>>(() => UnpackAsync(hash, cancellationToken)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            _unpacking.TryRemove(sha256Hex, out _);
        }

        return task;
    }

    /// <summary>
    /// The function's layers merged into one folder, extracted in order so that later layers overwrite files of
    /// earlier ones (as Lambda fills /opt); null when there are none. Built once per distinct list of layers.
    /// </summary>
    public async Task<string?> GetLayersDirectoryAsync(IReadOnlyList<string> layerHashes, CancellationToken cancellationToken)
    {
        if (layerHashes.Count == 0)
        {
            return null;
        }

        var key = "layers-" + CodeHash.Of(System.Text.Encoding.ASCII.GetBytes(string.Join(',', layerHashes))).Hex;
        var lazy = _unpacking.GetOrAdd(key, _ => new Lazy<Task<string>>(() => MergeAsync(key, layerHashes, cancellationToken)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            _unpacking.TryRemove(key, out _);
        }

        return await task;
    }

    private async Task<string> MergeAsync(string key, IReadOnlyList<string> layerHashes, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_root, key);
        var marker = Path.Combine(_root, $"{key}.complete");
        if (File.Exists(marker))
        {
            return directory;
        }

        var scratch = Path.Combine(_root, $"{key}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(scratch);
        foreach (var hash in layerHashes)
        {
            var layer = await GetDirectoryAsync(hash, cancellationToken);
            foreach (var file in Directory.EnumerateFiles(layer, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(scratch, Path.GetRelativePath(layer, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true); // keeps the unix mode (bin/ executables stay executable)
            }
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(scratch, directory);
        await File.WriteAllTextAsync(marker, key, cancellationToken);
        return directory;
    }

    private async Task<string> UnpackAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_root, sha256Hex);
        var marker = Path.Combine(_root, $"{sha256Hex}.complete");
        if (File.Exists(marker))
        {
            return directory;
        }

        var zip = await store.GetAsync(sha256Hex, cancellationToken)
            ?? throw new FileNotFoundException($"No deployment package with SHA-256 {sha256Hex}.");
        // Unpack into a scratch folder and move it into place, so a half-unpacked folder is never used.
        var scratch = Path.Combine(_root, $"{sha256Hex}.{Guid.NewGuid():N}.partial");
        ZipPackage.Extract(zip, scratch);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(scratch, directory);
        await File.WriteAllTextAsync(marker, sha256Hex, cancellationToken);
        return directory;
    }
}
