using System.Text.RegularExpressions;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// A container image URI as Lambda takes it (<c>Code.ImageUri</c>): <c>registry/repository[:tag]</c> or
/// <c>registry/repository@sha256:digest</c> (both at once is refused, as Lambda refuses it). The registry is a host with a
/// dot or a port, or localhost (https://github.com/distribution/reference grammar).
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The tag or digest to ask the registry for (a tag defaults to latest).</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    /// <summary>The URI pinned to a manifest digest: what Lambda calls ResolvedImageUri.</summary>
    public string Pinned(string digest) => $"{Registry}/{Repository}@{digest}";

    public override string ToString() => Digest is not null ? Pinned(Digest) : $"{Registry}/{Repository}:{Tag ?? "latest"}";

    public static bool TryParse(string? uri, out ImageReference reference)
    {
        reference = null!;
        if (uri is null || uri.Length > 512 || Grammar().Match(uri) is not { Success: true } match || (match.Groups["tag"].Success && match.Groups["digest"].Success))
        {
            return false;
        }

        reference = new ImageReference(match.Groups["registry"].Value, match.Groups["repository"].Value,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null, match.Groups["digest"].Success ? match.Groups["digest"].Value : null);
        return true;
    }

    [GeneratedRegex(@"^(?<registry>(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+)(?::[0-9]{1,5})?|[a-zA-Z0-9-]+:[0-9]{1,5})/(?<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex Grammar();
}
