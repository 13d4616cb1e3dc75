using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.CodeSigning;

/// <summary>Refuses to start with a profile whose ARN is malformed or named twice, or whose key file does not load.</summary>
public sealed class CodeSigningOptionsValidator : IValidateOptions<CodeSigningOptions>
{
    public ValidateOptionsResult Validate(string? name, CodeSigningOptions options)
    {
        var failures = new List<string>();
        foreach (var profile in options.Profiles)
        {
            if (!PackageSignature.ProfileVersionArn().IsMatch(profile.VersionArn))
            {
                failures.Add($"{CodeSigningOptions.Section}:Profiles: '{profile.VersionArn}' is not a signing profile version ARN (arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME/VERSION).");
                continue;
            }

            try
            {
                using var key = SigningProfile.Load(profile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException or NotSupportedException)
            {
                failures.Add($"{CodeSigningOptions.Section}:Profiles: the key of {profile.VersionArn} does not load from '{profile.PublicKeyFile}': {e.Message}");
            }
        }

        failures.AddRange(options.Profiles.GroupBy(p => p.VersionArn, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{CodeSigningOptions.Section}:Profiles names {g.Key} more than once."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
