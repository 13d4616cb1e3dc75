namespace LambdaCluster.Gateway.CodeSigning;

/// <summary>
/// One signing profile version this node trusts signatures of (the cluster's own stand-in for an AWS Signer profile;
/// every node of a cluster needs the same list). A code signing configuration's AllowedPublishers names these by ARN.
/// </summary>
public sealed class SigningProfileOptions
{
    /// <summary><c>arn:aws:signer:{region}:{account}:/signing-profiles/{name}/{version}</c>.</summary>
    public string VersionArn { get; set; } = "";

    /// <summary>A PEM file: the profile's public key (<c>PUBLIC KEY</c>, ECDSA or RSA) or an X.509 certificate holding it.</summary>
    public string PublicKeyFile { get; set; } = "";

    /// <summary>When signatures of this profile expire (Lambda's expiry check); a certificate's NotAfter when unset.</summary>
    public DateTimeOffset? ValidUntil { get; set; }

    /// <summary>When the profile was revoked (Lambda's revocation check): from then on its signatures are not trusted.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
