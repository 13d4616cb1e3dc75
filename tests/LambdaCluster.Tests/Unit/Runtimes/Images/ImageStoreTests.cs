using System.Text.Json;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Images;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Images;

/// <summary>
/// The node's image cache keeps what environments use and removes what none has used for Images:UnusedRetention
/// (a day here): unpacked images, and layer blobs no pull used for as long. Images are laid out on disk as a pull leaves them.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ImageStoreTests : IDisposable
{
    private static readonly string Hex = new('a', 64);
    private static readonly string Uri = $"127.0.0.1:1/repo@sha256:{Hex}"; // a registry that refuses at once, never reached while the image is here
    private readonly string _data = Directory.CreateTempSubdirectory("images-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow); // file times are real ones
    private readonly ImageStore _store;

    public ImageStoreTests()
    {
        var options = Options.Create(new ImageOptions());
        _store = new ImageStore(new RegistryClient(options), options, Options.Create(new NodeOptions { DataDirectory = _data }), _time, NullLogger<ImageStore>.Instance);
    }

    private string Roots => Path.Combine(_data, "images", "roots");

    private string Blobs => Path.Combine(_data, "images", "blobs", "sha256");

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task AnImageInUse_IsKept_AndOneUnusedForTheRetention_IsRemoved_WithItsOldBlobs()
    {
        Unpacked();
        var first = await _store.UseAsync(Uri, CancellationToken.None);
        var second = await _store.UseAsync(Uri, CancellationToken.None);
        Assert.Equal(Path.Combine(Roots, Hex), first.Root.Directory);
        Assert.Equal(["/bin/app"], first.Root.Config.Entrypoint);

        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, _store.RemoveUnused()); // in use by two environments
        first.Dispose();
        first.Dispose(); // twice releases once: the second environment still uses it, days later
        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, _store.RemoveUnused());
        Assert.True(Directory.Exists(first.Root.Directory));

        second.Dispose(); // its last use: now
        _time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, _store.RemoveUnused());

        var oldBlob = Blob("b", _time.GetUtcNow().AddDays(-2));
        var freshBlob = Blob("c", _time.GetUtcNow().AddHours(-1));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, _store.RemoveUnused());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Roots)); // its root, its config, nothing left over
        Assert.False(File.Exists(oldBlob));
        Assert.True(File.Exists(freshBlob));
    }

    [Fact]
    public async Task AnImageNeverUsedHere_CountsFromItsPull_AndWhatKilledPullsOrRemovalsLeftGoes()
    {
        Unpacked(pulledAt: _time.GetUtcNow().AddDays(-2));
        Directory.CreateDirectory(Path.Combine(Roots, $"{new string('b', 64)}.removed-1234")); // a removal cut short
        Old(Directory.CreateDirectory(Path.Combine(Roots, $"{new string('c', 64)}.partial-5678")).FullName); // a pull killed while unpacking
        Old(Directory.CreateDirectory(Path.Combine(Roots, new string('d', 64))).FullName); // ...or before writing its config
        Assert.Equal(1, _store.RemoveUnused());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Roots));

        // Its next use pulls it again (here the registry does not exist: Lambda's pull error, not a half-removed root).
        var refused = await Assert.ThrowsAsync<ImageException>(() => _store.UseAsync(Uri, CancellationToken.None));
        Assert.Equal(ImageFailure.ImageAccessDenied, refused.Failure);
    }

    /// <summary>An image as a finished pull leaves it: its root folder and its config beside it, written at <paramref name="pulledAt"/> (now).</summary>
    private void Unpacked(DateTimeOffset? pulledAt = null)
    {
        var root = Directory.CreateDirectory(Path.Combine(Roots, Hex)).FullName;
        File.WriteAllText(Path.Combine(root, "app"), "#!/bin/sh\n");
        var config = root + ".json";
        File.WriteAllBytes(config, JsonSerializer.SerializeToUtf8Bytes(new ImageRuntimeConfig(["/bin/app"], [], [], null), ImagesJsonContext.Default.ImageRuntimeConfig));
        File.SetLastWriteTimeUtc(config, (pulledAt ?? _time.GetUtcNow()).UtcDateTime);
    }

    private void Old(string folder) => Directory.SetLastWriteTimeUtc(folder, _time.GetUtcNow().AddDays(-2).UtcDateTime);

    private string Blob(string name, DateTimeOffset lastUsed)
    {
        Directory.CreateDirectory(Blobs);
        var path = Path.Combine(Blobs, new string(name[0], 64));
        File.WriteAllText(path, name);
        File.SetLastWriteTimeUtc(path, lastUsed.UtcDateTime);
        return path;
    }
}
