using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LambdaCluster.Gateway.CodeSigning;

/// <summary>A trusted signing profile version, loaded: its public key and when its signatures stop being trusted.</summary>
public sealed class SigningProfile(string versionArn, AsymmetricAlgorithm key, DateTimeOffset? validUntil, DateTimeOffset? revokedAt) : IDisposable
{
    public string VersionArn { get; } = versionArn;

    public AsymmetricAlgorithm Key { get; } = key;

    public DateTimeOffset? ValidUntil { get; } = validUntil;

    public DateTimeOffset? RevokedAt { get; } = revokedAt;

    /// <summary>Reads the key file: a certificate (its NotAfter is the expiry unless configured) or a public key, ECDSA or RSA.</summary>
    /// <exception cref="CryptographicException">The file holds neither.</exception>
    public static SigningProfile Load(SigningProfileOptions options)
    {
        var pem = File.ReadAllText(options.PublicKeyFile);
        if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()
                ?? throw new CryptographicException("the certificate's key is neither ECDSA nor RSA");
            return new SigningProfile(options.VersionArn, key, options.ValidUntil ?? new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), options.RevokedAt);
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            return new SigningProfile(options.VersionArn, ecdsa, options.ValidUntil, options.RevokedAt);
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new SigningProfile(options.VersionArn, rsa, options.ValidUntil, options.RevokedAt);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public void Dispose() => Key.Dispose();
}
