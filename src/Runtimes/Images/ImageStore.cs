using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// This node's container images, pulled once per manifest digest and kept under the data directory: blobs by digest in
/// <c>images/blobs/sha256/</c> (shared between images, checked against their digests), each image unpacked in
/// <c>images/roots/&lt;digest&gt;/</c> with its config beside it. Concurrent callers for one digest share one pull; a failed pull
/// is tried again by the next caller. An image no environment has used for <see cref="ImageOptions.UnusedRetention"/> is
/// removed (<see cref="RemoveUnused"/>); one in use never is. The config file's write time is the image's last use.
/// </summary>
public sealed partial class ImageStore(RegistryClient registry, IOptions<ImageOptions> options, IOptions<NodeOptions> node, TimeProvider time, ILogger<ImageStore> logger)
{
    /// <summary>An image config blob is small: anything over this is not one.</summary>
    private const int MaxConfigBytes = 4 * 1024 * 1024;

    /// <summary>The longest a pull may take, however the registry answers.</summary>
    public static readonly TimeSpan PullLimit = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Lazy<Task<ImageRoot>>> _pulls = new(StringComparer.Ordinal);

    /// <summary>Guards what removal must not race: the count of environments per digest, last-use times, and blobs being found or removed.</summary>
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);

    private string Folder => Path.GetFullPath(Path.Combine(node.Value.DataDirectory, "images"));

    /// <summary>
    /// The unpacked image of <paramref name="pinnedUri"/> (<c>registry/repository@sha256:…</c>), pulled now when this node
    /// does not have it. Throws <see cref="ImageException"/> with Lambda's reason.
    /// </summary>
    public async Task<ImageRoot> EnsureAsync(string pinnedUri, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(pinnedUri, out var image) || image.Digest is not { } digest)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"Source image {pinnedUri} is not valid. Provide a valid source image.");
        }

        var pull = _pulls.GetOrAdd(digest, _ => new Lazy<Task<ImageRoot>>(() => PullBoundedAsync(image, digest)));
        try
        {
            return await pull.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (pull.Value.IsFaulted || pull.Value.IsCanceled)
        {
            _pulls.TryRemove(new KeyValuePair<string, Lazy<Task<ImageRoot>>>(digest, pull)); // the next caller tries again
            throw;
        }
    }

    /// <summary>
    /// <see cref="EnsureAsync"/> for an environment that will run the image: it counts as in use (never removed) until the
    /// lease is disposed. Throws <see cref="ImageException"/> with Lambda's reason.
    /// </summary>
    public async Task<ImageLease> UseAsync(string pinnedUri, CancellationToken cancellationToken)
    {
        var digest = ImageReference.TryParse(pinnedUri, out var image) ? image.Digest ?? "" : ""; // EnsureAsync refuses what has none
        while (true)
        {
            var root = await EnsureAsync(pinnedUri, cancellationToken);
            lock (_gate)
            {
                if (File.Exists(ConfigFile(root.Directory)))
                {
                    _users[digest] = _users.GetValueOrDefault(digest) + 1;
                    TouchLocked(root.Directory);
                    return new ImageLease(this, digest, root);
                }

                // Removed between its pull and now: the finished pull remembered for it is stale, and it is pulled again.
                if (_pulls.TryGetValue(digest, out var stale) && Finished(stale))
                {
                    _pulls.TryRemove(new KeyValuePair<string, Lazy<Task<ImageRoot>>>(digest, stale));
                }
            }
        }
    }

    /// <summary>
    /// Removes every unpacked image that no environment uses and none has used for <see cref="ImageOptions.UnusedRetention"/>
    /// (nor is being pulled); then, while no pull is under way, every layer blob no pull has used for as long, and what a
    /// killed pull or an earlier removal left. Returns how many images went. Throws nothing for a file it could not
    /// remove (the next sweep tries again), and nothing at all when the folders are missing.
    /// </summary>
    public int RemoveUnused()
    {
        var roots = Path.Combine(Folder, "roots");
        var blobs = Path.Combine(Folder, "blobs", "sha256");
        var before = time.GetUtcNow().UtcDateTime - options.Value.UnusedRetention;
        List<string> doomed = [];
        var removedImages = 0;
        lock (_gate)
        {
            foreach (var config in Entries(roots, "*.json", directories: false))
            {
                var root = config[..^".json".Length];
                var digest = $"sha256:{Path.GetFileName(root)}";
                _pulls.TryGetValue(digest, out var pull);
                if (_users.ContainsKey(digest) || (pull is not null && !Finished(pull)) || LastWrite(config) > before)
                {
                    continue;
                }

                if (pull is not null)
                {
                    _pulls.TryRemove(new KeyValuePair<string, Lazy<Task<ImageRoot>>>(digest, pull));
                }

                if (Remove(() => File.Delete(config)) && Remove(() => Directory.Move(root, $"{root}.removed-{Guid.NewGuid():N}")))
                {
                    removedImages++;
                    LogRemoved(logger, digest, options.Value.UnusedRetention);
                }
            }

            if (_pulls.Values.All(Finished))
            {
                // No pull is under way (and a new one waits for this lock to find its blobs): what is left of killed pulls
                // (a partial root or blob, a root whose config was never written) and blobs unused for the retention.
                foreach (var entry in Entries(roots, "*", directories: true).Where(d => !d.Contains(".removed-", StringComparison.Ordinal) && !File.Exists(ConfigFile(d)) && LastWrite(d) <= before))
                {
                    Remove(() => Directory.Move(entry, $"{entry}.removed-{Guid.NewGuid():N}"));
                }

                foreach (var blob in Entries(blobs, "*", directories: false).Where(b => LastWrite(b) <= before))
                {
                    Remove(() => File.Delete(blob));
                }
            }

            doomed.AddRange(Entries(roots, "*.removed-*", directories: true));
        }

        foreach (var folder in doomed)
        {
            Remove(() => Directory.Delete(folder, recursive: true));
        }

        return removedImages;
    }

    /// <summary>An environment let go of the image (<see cref="ImageLease.Dispose"/>): its use ends now.</summary>
    internal void Release(string digest)
    {
        lock (_gate)
        {
            if (_users.TryGetValue(digest, out var users))
            {
                if (users > 1)
                {
                    _users[digest] = users - 1;
                }
                else
                {
                    _users.Remove(digest);
                }
            }

            TouchLocked(Path.Combine(Folder, "roots", digest["sha256:".Length..]));
        }
    }

    private static string ConfigFile(string root) => root + ".json";

    /// <summary>True for a pull that has run to its end (a pull not yet begun counts as under way).</summary>
    private static bool Finished(Lazy<Task<ImageRoot>> pull) => pull.IsValueCreated && pull.Value.IsCompleted;

    /// <summary>Marks the image (its config file) as used now. Never throws: a mark that fails only makes the image look older.</summary>
    private void TouchLocked(string root)
    {
        try
        {
            File.SetLastWriteTimeUtc(ConfigFile(root), time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed meanwhile, or not ours to mark.
        }
    }

    /// <summary>The files (or folders) of <paramref name="folder"/> matching <paramref name="pattern"/>; none when it cannot be read.</summary>
    private static List<string> Entries(string folder, string pattern, bool directories)
    {
        try
        {
            return Directory.Exists(folder) ? [.. directories ? Directory.EnumerateDirectories(folder, pattern) : Directory.EnumerateFiles(folder, pattern)] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A file's or folder's last write time, UTC; the far future when it cannot be read (so it is never old enough to remove).</summary>
    private static DateTime LastWrite(string path)
    {
        try
        {
            return Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTime.MaxValue;
        }
    }

    /// <summary>Runs a removal step; false when the file system refused it (the next sweep tries again).</summary>
    private bool Remove(Action step)
    {
        try
        {
            step();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotRemoved(logger, e.Message);
            return false;
        }
    }

    /// <summary>A pull within <see cref="PullLimit"/>, every failure an <see cref="ImageException"/>.</summary>
    private async Task<ImageRoot> PullBoundedAsync(ImageReference image, string digest)
    {
        using var limit = new CancellationTokenSource(PullLimit, time);
        try
        {
            return await PullAsync(image, digest, limit.Token);
        }
        catch (OperationCanceledException e) when (limit.IsCancellationRequested)
        {
            throw new ImageException(ImageFailure.ImageAccessDenied, $"The image {image} could not be pulled within {PullLimit.TotalMinutes:0} minutes.", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidOperationException or InvalidDataException or FormatException)
        {
            throw new ImageException(ImageFailure.ImageAccessDenied, $"The image {image} could not be pulled: {e.Message}", e);
        }
    }

    /// <summary>Flow: already unpacked → done; else the manifest → the config → each layer (cached by digest) applied in order onto a new folder → moved into place.</summary>
    private async Task<ImageRoot> PullAsync(ImageReference image, string digest, CancellationToken cancellationToken)
    {
        var hex = digest["sha256:".Length..];
        var root = Path.Combine(Folder, "roots", hex);
        var configFile = root + ".json";
        lock (_gate) // not while RemoveUnused takes it away
        {
            if (Directory.Exists(root) && File.Exists(configFile))
            {
                TouchLocked(root); // asked for now: an update's pull, or a cold start about to use it
                return new ImageRoot(root, JsonSerializer.Deserialize(File.ReadAllBytes(configFile), ImagesJsonContext.Default.ImageRuntimeConfig)!, 0, 0);
            }
        }

        var started = time.GetTimestamp();
        var manifest = await registry.ResolveAsync(image, cancellationToken);
        var config = ParseConfig(image, await ReadBlobAsync(image, manifest.ConfigDigest, MaxConfigBytes, cancellationToken));
        if (manifest.Layers.Sum(l => l.Size) > options.Value.MaxUncompressedBytes || manifest.Layers.Any(l => l.Size < 0))
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The image {image} is larger than the limit of {options.Value.MaxUncompressedBytes} bytes.");
        }

        List<string> layers = [];
        foreach (var layer in manifest.Layers)
        {
            layers.Add(await FetchBlobAsync(image, layer.Digest, layer.Size, cancellationToken));
        }

        var pullMs = time.GetElapsedTime(started).TotalMilliseconds;
        var unpacking = time.GetTimestamp();
        var partial = $"{root}.partial-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(partial)!, (UnixFileMode)0b111_000_000); // root's alone: setuid files of images stay out of reach
            Directory.CreateDirectory(partial);
            var budget = options.Value.MaxUncompressedBytes;
            for (var i = 0; i < layers.Count; i++)
            {
                await using var blob = File.OpenRead(layers[i]);
                await using var tar = LayerUnpacker.Decompressed(blob, manifest.Layers[i].MediaType);
                budget -= await Task.Run(() => LayerUnpacker.Apply(tar, partial, budget));
            }

            LayerUnpacker.PrepareMountPoints(partial);
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true); // a pull that stopped before writing its config
            }

            Directory.Move(partial, root);
            await File.WriteAllBytesAsync(configFile, JsonSerializer.SerializeToUtf8Bytes(config, ImagesJsonContext.Default.ImageRuntimeConfig));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
            or OverflowException or NotSupportedException) // TarReader's answers to a base-256 size that overflows, or to an entry type it cannot read
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The image {image} could not be unpacked: {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }

        var unpackMs = time.GetElapsedTime(unpacking).TotalMilliseconds;
        LogPulled(logger, image.ToString(), manifest.Layers.Count, pullMs, unpackMs);
        return new ImageRoot(root, config, pullMs, unpackMs);
    }

    /// <summary>The blob's file in the cache, downloaded when missing: no more than <paramref name="size"/> bytes, checked against the digest before it is kept.</summary>
    private async Task<string> FetchBlobAsync(ImageReference image, string digest, long size, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, "blobs", "sha256", digest["sha256:".Length..]);
        lock (_gate)
        {
            if (File.Exists(path))
            {
                File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime); // used now: kept for another UnusedRetention
                return path;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = $"{path}.partial-{Guid.NewGuid():N}";
        try
        {
            await using (var source = await registry.OpenBlobAsync(image, digest, cancellationToken))
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > size)
                    {
                        throw new ImageException(ImageFailure.InvalidImage, $"The blob {digest} of {image} is longer than the {size} bytes its manifest says.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                if ($"sha256:{Convert.ToHexStringLower(hash.GetHashAndReset())}" != digest)
                {
                    throw new ImageException(ImageFailure.InvalidImage, $"The blob {digest} of {image} does not match its digest.");
                }
            }

            File.Move(partial, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private async Task<byte[]> ReadBlobAsync(ImageReference image, string digest, int limit, CancellationToken cancellationToken)
    {
        var path = await FetchBlobAsync(image, digest, limit, cancellationToken);
        if (new FileInfo(path).Length > limit)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The config blob of {image} is larger than {limit} bytes.");
        }

        return await File.ReadAllBytesAsync(path);
    }

    private static ImageRuntimeConfig ParseConfig(ImageReference image, byte[] blob)
    {
        try
        {
            using var document = JsonDocument.Parse(blob);
            var root = document.RootElement;
            if (root.TryGetProperty("os", out var os) && os.GetString() is { } name && name != "linux")
            {
                throw new ImageException(ImageFailure.InvalidImage, $"The image {image} is for {name}; Lambda runs Linux images.");
            }

            var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            return new ImageRuntimeConfig(Strings(config, "Entrypoint"), Strings(config, "Cmd"), Strings(config, "Env"),
                config.ValueKind == JsonValueKind.Object && config.TryGetProperty("WorkingDir", out var dir) && dir.ValueKind == JsonValueKind.String && dir.GetString() is { Length: > 0 } d ? d : null);
        }
        catch (JsonException e)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The config of {image} is not JSON.", e);
        }
    }

    private static List<string> Strings(JsonElement config, string name) =>
        config.ValueKind == JsonValueKind.Object && config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Image {Image} pulled ({Layers} layers) in {PullMs:F0} ms and unpacked in {UnpackMs:F0} ms")]
    private static partial void LogPulled(ILogger logger, string image, int layers, double pullMs, double unpackMs);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Image {Digest} removed: no environment used it for {Retention}")]
    private static partial void LogRemoved(ILogger logger, string digest, TimeSpan retention);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Warning, Message = "An unused image's files could not be removed (tried again at the next sweep): {Problem}")]
    private static partial void LogNotRemoved(ILogger logger, string problem);
}
