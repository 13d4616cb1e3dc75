using LambdaCluster.Grains.CodeSigning;
using LambdaCluster.Grains.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.CodeSigning;

/// <summary>
/// Lambda's deployment checks of a package against a function's code signing configuration
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html): integrity (the signature matches the
/// package: refused with InvalidCodeSignatureException whatever the policy), then mismatch (unsigned, or signed by a
/// profile the configuration does not allow or this node has no key for), expiry and revocation, which refuse the
/// package with CodeVerificationFailedException under Enforce and are logged and let through under Warn.
/// </summary>
public sealed partial class CodeVerifier : IDisposable
{
    private readonly Dictionary<string, SigningProfile> _profiles;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CodeVerifier(IOptions<CodeSigningOptions> options, TimeProvider time, ILogger<CodeVerifier> logger)
    {
        _profiles = options.Value.Profiles.ToDictionary(p => p.VersionArn, SigningProfile.Load, StringComparer.Ordinal);
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Checks <paramref name="package"/> for a deployment to <paramref name="subject"/> (a function name or layer
    /// version ARN, for the message). Returns the signature when one verified (its profile and job ARNs go into the
    /// configuration), else null. Without a configuration nothing is checked, as on Lambda.
    /// </summary>
    /// <exception cref="LambdaServiceException">InvalidCodeSignatureException, or CodeVerificationFailedException under Enforce.</exception>
    public PackageSignature? Verify(ReadOnlySpan<byte> package, CodeSigningConfigDefinition? config, string subject)
    {
        if (config is null)
        {
            return null;
        }

        PackageSignature? signature;
        try
        {
            signature = PackageSignature.Read(package);
        }
        catch (FormatException)
        {
            throw IntegrityFailure(subject);
        }

        _profiles.TryGetValue(signature?.SigningProfileVersionArn ?? "", out var profile);
        if (signature is not null && profile is not null && !signature.Verifies(package, profile.Key))
        {
            throw IntegrityFailure(subject);
        }

        var now = _time.GetUtcNow();
        var untrusted = signature is null ? "the package is not signed"
            : !config.SigningProfileVersionArns.Contains(signature.SigningProfileVersionArn, StringComparer.Ordinal) ? $"{signature.SigningProfileVersionArn} is not an allowed publisher of {config.Arn}"
            : profile is null ? $"this node has no key for {signature.SigningProfileVersionArn} (CodeSigning:Profiles)"
            : profile.RevokedAt <= now ? $"{profile.VersionArn} was revoked at {profile.RevokedAt:O}"
            : profile.ValidUntil < now ? $"signatures of {profile.VersionArn} expired at {profile.ValidUntil:O}"
            : null;
        if (untrusted is null)
        {
            return signature;
        }

        if (config.UntrustedArtifactOnDeployment == "Enforce")
        {
            LogRefused(_logger, subject, untrusted);
            throw new LambdaServiceException(LambdaErrorType.CodeVerificationFailedException,
                $"Lambda cannot deploy the function. The function or layer might be signed using a signature that the client is not configured to accept. Check the provided signature for {subject}.");
        }

        LogWarned(_logger, subject, untrusted);
        return profile is null ? null : signature;
    }

    /// <summary>
    /// The package's signature when one of this node's profiles verifies it, else null (unsigned, malformed, unknown
    /// profile or not matching): what PublishLayerVersion records, since a layer is checked when a function with a code
    /// signing configuration takes it (<see cref="Verify"/>), not when it is published.
    /// </summary>
    public PackageSignature? Signature(byte[] package)
    {
        try
        {
            return PackageSignature.Read(package) is { } signature
                && _profiles.TryGetValue(signature.SigningProfileVersionArn, out var profile) && signature.Verifies(package, profile.Key)
                ? signature
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var profile in _profiles.Values)
        {
            profile.Dispose();
        }
    }

    private static LambdaServiceException IntegrityFailure(string subject) =>
        new(LambdaErrorType.InvalidCodeSignatureException, $"Lambda cannot deploy the function. The function or layer signature failed the integrity check. Check the provided signature for {subject}.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Code signing (Enforce): refused the package of {Subject}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Code signing (Warn): deployed an untrusted package to {Subject}: {Reason}")]
    private static partial void LogWarned(ILogger logger, string subject, string reason);
}
