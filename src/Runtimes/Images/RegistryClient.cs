using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// Reads images from an OCI distribution registry (the Docker Registry HTTP API v2, https://github.com/opencontainers/distribution-spec):
/// manifests by tag or digest (an image index or manifest list resolves to its linux/amd64 image), and blobs by digest.
/// Anonymous, basic, or token authentication (the <c>WWW-Authenticate: Bearer realm=…</c> challenge, with the configured
/// credentials when there are any); plain HTTP for loopback registries and those configured so. An ECR-style URI is
/// read from <see cref="ImageOptions.EcrRegistry"/>. Every failure is an <see cref="ImageException"/> with Lambda's reason.
/// </summary>
public sealed partial class RegistryClient(IOptions<ImageOptions> options)
{
    /// <summary>What a manifest request accepts, images and indexes, OCI and Docker.</summary>
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    /// <summary>A manifest is small: anything over this is not one.</summary>
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>A token service's answer is small: anything over this is not one.</summary>
    private const int MaxTokenBytes = 1024 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10), ConnectCallback = ConnectAsync, MaxAutomaticRedirections = 5 })
    {
        Timeout = Timeout.InfiniteTimeSpan, // a layer may take long; each pull is bounded by its caller
    };
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>
    /// The image's manifest: for a tag, the one it names now; an index resolves to its linux/amd64 image. Its digest is
    /// what Lambda pins (ResolvedImageUri).
    /// </summary>
    public async Task<ImageManifest> ResolveAsync(ImageReference image, CancellationToken cancellationToken)
    {
        try
        {
            return await ResolveManifestAsync(image, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The image {image} has a manifest that is not an image manifest or index.", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ImageException(ImageFailure.ImageAccessDenied, $"The registry of {image} could not be read: {e.Message}", e);
        }
    }

    private async Task<ImageManifest> ResolveManifestAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var (document, digest) = await GetManifestAsync(image, image.Reference, cancellationToken);
        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
            {
                var chosen = manifests.EnumerateArray().FirstOrDefault(m => m.TryGetProperty("platform", out var p)
                    && p.TryGetProperty("os", out var os) && os.GetString() == "linux" && p.TryGetProperty("architecture", out var arch) && arch.GetString() == "amd64");
                if (chosen.ValueKind != JsonValueKind.Object || chosen.TryGetProperty("digest", out var chosenDigest) is false || chosenDigest.GetString() is not { } platformDigest)
                {
                    throw new ImageException(ImageFailure.InvalidImage, $"The image {image} has no linux/amd64 image; Lambda runs x86_64 here.");
                }

                var (platform, resolved) = await GetManifestAsync(image, platformDigest, cancellationToken);
                using (platform)
                {
                    return Parse(image, platform.RootElement, resolved);
                }
            }

            return Parse(image, root, digest);
        }
    }

    /// <summary>A blob's bytes as the registry sends them (the caller checks them against <paramref name="digest"/>).</summary>
    public async Task<Stream> OpenBlobAsync(ImageReference image, string digest, CancellationToken cancellationToken)
    {
        var response = await SendAsync(image, $"blobs/{digest}", null, cancellationToken);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    private static ImageManifest Parse(ImageReference image, JsonElement manifest, string digest)
    {
        try
        {
            var config = manifest.GetProperty("config").GetProperty("digest").GetString()!;
            var layers = manifest.GetProperty("layers").EnumerateArray()
                .Select(l => new ImageLayer(l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64(), l.TryGetProperty("mediaType", out var t) ? t.GetString() ?? "" : ""))
                .ToList();
            if (!DigestPattern().IsMatch(config) || layers.Exists(l => !DigestPattern().IsMatch(l.Digest)))
            {
                throw new ImageException(ImageFailure.InvalidImage, $"The image {image} names a blob by a digest that is not sha256.");
            }

            return new ImageManifest(digest, config, layers);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The image {image} has a manifest that is not an image manifest.", e);
        }
    }

    /// <summary>A manifest, checked against its digest when asked for by one, and its digest (the registry's Docker-Content-Digest, else the hash of its bytes).</summary>
    private async Task<(JsonDocument Manifest, string Digest)> GetManifestAsync(ImageReference image, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(image, $"manifests/{reference}", ManifestTypes, cancellationToken);
        var bytes = await ReadLimitedAsync(response, MaxManifestBytes, cancellationToken)
            ?? throw new ImageException(ImageFailure.InvalidImage, $"The manifest of {image} is larger than {MaxManifestBytes} bytes.");

        var digest = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))}";
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && reference != digest)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The manifest {reference} of {image} does not match its digest.");
        }

        try
        {
            return (JsonDocument.Parse(bytes), digest);
        }
        catch (JsonException e)
        {
            throw new ImageException(ImageFailure.InvalidImage, $"The manifest of {image} is not JSON.", e);
        }
    }

    /// <summary>
    /// A GET of <c>/v2/&lt;repository&gt;/&lt;path&gt;</c>: with the registry's token when one is held; on 401, the challenge is
    /// answered once (a token from its realm, or basic credentials). 404 is ImageDeleted; 401/403, or no answer, ImageAccessDenied.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(ImageReference image, string path, string[]? accept, CancellationToken cancellationToken)
    {
        var (host, settings) = Endpoint(image);
        var scheme = settings?.PlainHttp == true || IsLoopback(host) ? "http" : "https";
        var uri = new Uri($"{scheme}://{host}/v2/{image.Repository}/{path}");
        var scope = $"repository:{image.Repository}:pull";
        HttpResponseMessage? response = null;
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                foreach (var type in accept ?? [])
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                }

                if (_tokens.TryGetValue($"{host} {scope}", out var token))
                {
                    request.Headers.Authorization = token.StartsWith("Basic ", StringComparison.Ordinal)
                        ? new AuthenticationHeaderValue("Basic", token["Basic ".Length..])
                        : new AuthenticationHeaderValue("Bearer", token);
                }

                response?.Dispose();
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != HttpStatusCode.Unauthorized || attempt == 1 || !await AuthorizeAsync(host, scope, settings, response, cancellationToken))
                {
                    break;
                }
            }

            switch (response!.StatusCode)
            {
                case HttpStatusCode.OK:
                    var ok = response;
                    response = null;
                    return ok;
                case HttpStatusCode.NotFound:
                    throw new ImageException(ImageFailure.ImageDeleted, $"Source image {image} does not exist. Provide a valid source image.");
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new ImageException(ImageFailure.ImageAccessDenied, "Lambda does not have permission to access the ECR image. Check the ECR permissions.");
                default:
                    throw new ImageException(ImageFailure.ImageAccessDenied, $"The registry {host} answered {(int)response.StatusCode} for {image}.");
            }
        }
        catch (HttpRequestException e)
        {
            throw new ImageException(ImageFailure.ImageAccessDenied, $"The registry {host} of {image} could not be reached: {e.Message}", e);
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>Answers a 401's challenge: a Bearer token from the realm it names (with basic credentials when configured), or Basic credentials. False when it cannot.</summary>
    private async Task<bool> AuthorizeAsync(string host, string scope, RegistryOptions? settings, HttpResponseMessage challenged, CancellationToken cancellationToken)
    {
        var basic = settings is { Username: { } user, Password: { } password } ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) : null;
        var challenge = challenged.Headers.WwwAuthenticate.FirstOrDefault();
        if (challenge is null)
        {
            return false;
        }

        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (basic is null)
            {
                return false;
            }

            _tokens[$"{host} {scope}"] = $"Basic {basic}";
            return true;
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is null)
        {
            return false;
        }

        var parameters = ChallengeParameter().Matches(challenge.Parameter).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            return false;
        }

        var query = $"scope={Uri.EscapeDataString(parameters.GetValueOrDefault("scope", scope))}" + (parameters.TryGetValue("service", out var service) ? $"&service={Uri.EscapeDataString(service)}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realmUri) { Query = query }.Uri);
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode || await ReadLimitedAsync(response, MaxTokenBytes, cancellationToken) is not { } answer)
        {
            return false;
        }

        string? token;
        try
        {
            using var body = JsonDocument.Parse(answer);
            token = body.RootElement.ValueKind != JsonValueKind.Object ? null
                : body.RootElement.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                : body.RootElement.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        }
        catch (JsonException)
        {
            return false;
        }

        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        _tokens[$"{host} {scope}"] = token;
        return true;
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes (never read beyond it).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Connects to a registry's (or a redirect's) address, unless it is link-local (a cloud's metadata service) or an
    /// environment's own sandbox.localdomain address: a function's owner chooses the image URI, not where the node connects.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => !IsForbidden(a)).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} is not an address a registry may have here.");
        }

        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, cancellationToken);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsForbidden(IPAddress address)
    {
        var bytes = address.MapToIPv4().GetAddressBytes();
        return (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && (address.IsIPv6LinkLocal || address.ToString() == "fd00:ec2::254"))
            || (bytes[0] == 169 && bytes[1] == 254)
            || (bytes[0] == 127 && bytes[1] == 1);
    }

    /// <summary>The host to ask (an ECR URI's stand-in) and its settings.</summary>
    private (string Host, RegistryOptions? Settings) Endpoint(ImageReference image)
    {
        var host = EcrHost().IsMatch(image.Registry)
            ? options.Value.EcrRegistry ?? throw new ImageException(ImageFailure.ImageAccessDenied, "Lambda does not have permission to access the ECR image. Check the ECR permissions.")
            : image.Registry;
        return (host, options.Value.Registries.Find(r => r.Host.Equals(host, StringComparison.OrdinalIgnoreCase)));
    }

    private static bool IsLoopback(string host)
    {
        var name = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    [GeneratedRegex(@"^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")]
    private static partial Regex EcrHost();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"(?<key>[a-zA-Z]+)=""(?<value>[^""]*)""")]
    private static partial Regex ChallengeParameter();
}
