using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Builds an OCI image from files on this machine (no network, no Docker) and pushes it to a registry through the
/// distribution API's monolithic upload: each layer a gzip-compressed tar, an image config, an OCI image manifest (and,
/// when asked, an image index naming it for linux/amd64).
/// </summary>
public sealed class OciImageBuilder
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private const string IndexType = "application/vnd.oci.image.index.v1+json";

    private readonly List<List<(string Path, byte[]? Content, string? LinkTarget, UnixFileMode Mode)>> _layers = [[]];

    public List<string> Entrypoint { get; } = [];

    public List<string> Cmd { get; } = [];

    public List<string> Env { get; } = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    public string? WorkingDir { get; set; }

    /// <summary>A file in the current (top) layer.</summary>
    public OciImageBuilder File(string path, byte[] content, UnixFileMode mode = (UnixFileMode)0b111_101_101)
    {
        _layers[^1].Add((path, content, null, mode));
        return this;
    }

    public OciImageBuilder File(string path, string content, UnixFileMode mode = (UnixFileMode)0b111_101_101) => File(path, Encoding.UTF8.GetBytes(content), mode);

    public OciImageBuilder Symlink(string path, string target)
    {
        _layers[^1].Add((path, null, target, (UnixFileMode)0b111_111_111));
        return this;
    }

    /// <summary>A whiteout: the path is removed from the layers below (an empty file named <c>.wh.name</c>).</summary>
    public OciImageBuilder Remove(string path)
    {
        var slash = path.LastIndexOf('/');
        return File($"{path[..(slash + 1)]}.wh.{path[(slash + 1)..]}", [], (UnixFileMode)0b110_100_100);
    }

    /// <summary>Starts a new layer on top of the ones so far.</summary>
    public OciImageBuilder Layer()
    {
        _layers.Add([]);
        return this;
    }

    /// <summary>
    /// Pushes the image to <paramref name="registry"/> (<c>host:port</c>) as <paramref name="repository"/>:<paramref name="tag"/>;
    /// with <paramref name="asIndex"/>, the tag names an index whose linux/amd64 entry is the image. Returns the image
    /// manifest's digest and the layers' digests, bottom first.
    /// </summary>
    public async Task<(string ManifestDigest, IReadOnlyList<string> LayerDigests)> PushAsync(string registry, string repository, string tag, bool asIndex = false)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/{repository}/") };
        var layers = new JsonArray();
        var diffIds = new JsonArray();
        List<string> layerDigests = [];
        foreach (var files in _layers)
        {
            var tar = Tar(files);
            diffIds.Add($"sha256:{Convert.ToHexStringLower(SHA256.HashData(tar))}");
            var gzip = Gzip(tar);
            var digest = await PushBlobAsync(http, gzip);
            layerDigests.Add(digest);
            layers.Add(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = digest, ["size"] = gzip.Length });
        }

        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = Array(Env),
                ["Entrypoint"] = Entrypoint.Count > 0 ? Array(Entrypoint) : null,
                ["Cmd"] = Cmd.Count > 0 ? Array(Cmd) : null,
                ["WorkingDir"] = WorkingDir ?? "",
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = await PushBlobAsync(http, configBytes);
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configBytes.Length },
            ["layers"] = layers,
        }.ToJsonString());
        var manifestDigest = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(manifest))}";
        await PutManifestAsync(http, asIndex ? manifestDigest : tag, manifest, ManifestType);
        if (asIndex)
        {
            // Listed first: an image of another platform (here, one with no layers), which a puller must pass over.
            var other = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = ManifestType,
                ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configBytes.Length },
                ["layers"] = new JsonArray(),
            }.ToJsonString());
            var otherDigest = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(other))}";
            await PutManifestAsync(http, otherDigest, other, ManifestType);
            var index = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = IndexType,
                ["manifests"] = new JsonArray(
                    new JsonObject { ["mediaType"] = ManifestType, ["digest"] = otherDigest, ["size"] = other.Length, ["platform"] = new JsonObject { ["architecture"] = "arm64", ["os"] = "linux" } },
                    new JsonObject { ["mediaType"] = ManifestType, ["digest"] = manifestDigest, ["size"] = manifest.Length, ["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" } }),
            }.ToJsonString());
            await PutManifestAsync(http, tag, index, IndexType);
        }

        return (manifestDigest, layerDigests);
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static byte[] Tar(List<(string Path, byte[]? Content, string? LinkTarget, UnixFileMode Mode)> files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var folders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, content, link, mode) in files)
            {
                var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 1; i < parts.Length; i++)
                {
                    var folder = string.Join('/', parts[..i]) + "/";
                    if (folders.Add(folder))
                    {
                        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder) { Mode = (UnixFileMode)0b111_101_101 });
                    }
                }

                var name = string.Join('/', parts);
                if (link is not null)
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link, Mode = mode });
                }
                else
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content!), Mode = mode });
                }
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    private static async Task<string> PushBlobAsync(HttpClient http, byte[] blob)
    {
        var digest = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(blob))}";
        using var started = await http.PostAsync("blobs/uploads/", null);
        if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is not { } location)
        {
            throw new InvalidOperationException($"the registry refused an upload: {(int)started.StatusCode}");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
        var separator = target.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(new Uri($"{target}{separator}digest={Uri.EscapeDataString(digest)}"), content);
        if (put.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"the registry refused a blob: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }

        return digest;
    }

    private static async Task PutManifestAsync(HttpClient http, string reference, byte[] manifest, string mediaType)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await http.PutAsync($"manifests/{reference}", content);
        if (put.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"the registry refused a manifest: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }
    }
}
