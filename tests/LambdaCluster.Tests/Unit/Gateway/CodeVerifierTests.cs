using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using LambdaCluster.Gateway.CodeSigning;
using LambdaCluster.Grains.CodeSigning;
using LambdaCluster.Grains.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Gateway;

/// <summary>The signature format and Lambda's deployment checks, with keys made here (the end-to-end test signs with openssl).</summary>
public sealed class CodeVerifierTests : IDisposable
{
    private const string Good = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/Good/v1";
    private const string Rsa = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/Rsa/v1";
    private const string Job = "arn:aws:signer:us-east-1:000000000000:/signing-jobs/6f1e2f7a-0000-4000-8000-000000000001";
    private readonly string _directory = Directory.CreateTempSubdirectory("code-verifier-").FullName;
    private readonly ECDsa _good = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));

    [Fact]
    public void Unsigned_And_ForeignComments_AreNotSignatures()
    {
        Assert.Null(PackageSignature.Read(Package()));
        Assert.Null(PackageSignature.Read(WithComment(Package(), "made by zip")));
        Assert.Null(PackageSignature.Read([]));
        Assert.Null(PackageSignature.Read(Encoding.ASCII.GetBytes("not a zip at all")));
    }

    [Theory]
    [InlineData("lambda-cluster-signature/1 " + Good + " " + Job)]
    [InlineData("lambda-cluster-signature/1 " + Good + " " + Job + " !!notbase64!!")]
    [InlineData("lambda-cluster-signature/1 arn:aws:iam::000000000000:role/x " + Job + " AAAA")]
    [InlineData("lambda-cluster-signature/1 " + Good + " " + Job + " AAAA extra")]
    public void MalformedSignatureLines_AreIntegrityFailures(string comment)
    {
        Assert.Throws<FormatException>(() => PackageSignature.Read(WithComment(Package(), comment)));
        var error = Assert.Throws<LambdaServiceException>(() => Verifier().Verify(WithComment(Package(), comment), Config("Warn", Good), "fn"));
        Assert.Equal(LambdaErrorType.InvalidCodeSignatureException, error.ErrorType);
    }

    [Fact]
    public void SignedPackages_VerifyWithEcdsaAndRsa_AndNotWhenChanged()
    {
        var package = Package();
        var signature = Verifier().Verify(Sign(package, Good, _good), Config("Enforce", Good), "fn");
        Assert.Equal((Good, Job), (signature!.SigningProfileVersionArn, signature.SigningJobArn));
        Assert.NotNull(Verifier().Verify(Sign(package, Rsa, _rsa), Config("Enforce", Rsa), "fn"));

        var signed = Sign(package, Good, _good);
        signed[40] ^= 1; // a byte of the signed content
        Assert.Equal(LambdaErrorType.InvalidCodeSignatureException,
            Assert.Throws<LambdaServiceException>(() => Verifier().Verify(signed, Config("Warn", Good), "fn")).ErrorType);
        foreach (var (profile, garbage) in new[] { (Good, "AAAA"), (Rsa, "AAAA"), (Good, Convert.ToBase64String(new byte[600])) })
        {
            var bogus = WithComment(package, $"{PackageSignature.Marker} {profile} {Job} {garbage}"); // not a DER signature, wrong length
            Assert.Equal(LambdaErrorType.InvalidCodeSignatureException,
                Assert.Throws<LambdaServiceException>(() => Verifier().Verify(bogus, Config("Warn", profile), "fn")).ErrorType);
        }

        var text = Encoding.ASCII.GetString(Sign(package, Good, _good));
        var relabelled = WithComment(package, text[text.IndexOf(PackageSignature.Marker, StringComparison.Ordinal)..].Replace("000000000001", "000000000002", StringComparison.Ordinal));
        Assert.Equal(LambdaErrorType.InvalidCodeSignatureException, // the job (or profile) named is part of what was signed
            Assert.Throws<LambdaServiceException>(() => Verifier().Verify(relabelled, Config("Warn", Good), "fn")).ErrorType);
        var newline = WithComment(package, $"{PackageSignature.Marker} {Good}\n {Job} AAAA");
        Assert.Throws<FormatException>(() => PackageSignature.Read(newline));

        var otherKey = Sign(package, Good, _rsa); // signed by a key that is not the profile's
        Assert.Equal(LambdaErrorType.InvalidCodeSignatureException,
            Assert.Throws<LambdaServiceException>(() => Verifier().Verify(otherKey, Config("Enforce", Good), "fn")).ErrorType);
    }

    [Fact]
    public void UntrustedPackages_AreRefusedUnderEnforce_AndPassUnderWarn()
    {
        var unsigned = Package();
        var notAllowed = Sign(unsigned, Rsa, _rsa);
        foreach (var (package, allowed) in new[] { (unsigned, Good), (notAllowed, Good) })
        {
            var error = Assert.Throws<LambdaServiceException>(() => Verifier().Verify(package, Config("Enforce", allowed), "my-function"));
            Assert.Equal(LambdaErrorType.CodeVerificationFailedException, error.ErrorType);
            Assert.EndsWith("Check the provided signature for my-function.", error.Message, StringComparison.Ordinal);
        }

        Assert.Null(Verifier().Verify(unsigned, Config("Warn", Good), "fn"));
        Assert.NotNull(Verifier().Verify(notAllowed, Config("Warn", Good), "fn")); // verified, though not allowed: recorded
        Assert.Null(Verifier().Verify(Sign(unsigned, "arn:aws:signer:us-east-1:000000000000:/signing-profiles/Unknown/v1", _good), Config("Warn", Good), "fn"));
        Assert.Null(Verifier().Verify(unsigned, null, "fn")); // no configuration: nothing is checked
    }

    [Fact]
    public void ExpiredAndRevokedProfiles_AreUntrusted_FromTheirTime()
    {
        var package = Sign(Package(), Good, _good);
        var expires = Verifier(validUntil: _time.GetUtcNow().AddDays(1));
        Assert.NotNull(expires.Verify(package, Config("Enforce", Good), "fn"));
        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(LambdaErrorType.CodeVerificationFailedException,
            Assert.Throws<LambdaServiceException>(() => expires.Verify(package, Config("Enforce", Good), "fn")).ErrorType);

        var revoked = Verifier(revokedAt: _time.GetUtcNow());
        Assert.Equal(LambdaErrorType.CodeVerificationFailedException,
            Assert.Throws<LambdaServiceException>(() => revoked.Verify(package, Config("Enforce", Good), "fn")).ErrorType);
    }

    [Fact]
    public void Options_RefuseMalformedArnsMissingKeysAndDuplicates()
    {
        var validator = new CodeSigningOptionsValidator();
        var good = Profile(Good, _good.ExportSubjectPublicKeyInfoPem());
        Assert.True(validator.Validate(null, new CodeSigningOptions { Profiles = [good] }).Succeeded);
        Assert.True(validator.Validate(null, new CodeSigningOptions { Profiles = [good, good] }).Failed);
        Assert.True(validator.Validate(null, new CodeSigningOptions { Profiles = [Profile("arn:aws:signer:us-east-1:000000000000:profile", "x")] }).Failed);
        Assert.True(validator.Validate(null, new CodeSigningOptions { Profiles = [Profile(Rsa, "not a key")] }).Failed);
        Assert.True(validator.Validate(null, new CodeSigningOptions { Profiles = [new SigningProfileOptions { VersionArn = Rsa, PublicKeyFile = "/nonexistent.pem" }] }).Failed);
    }

    public void Dispose()
    {
        _good.Dispose();
        _rsa.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private CodeVerifier Verifier(DateTimeOffset? validUntil = null, DateTimeOffset? revokedAt = null) =>
        new(Options.Create(new CodeSigningOptions
        {
            Profiles =
            [
                Profile(Good, _good.ExportSubjectPublicKeyInfoPem(), validUntil, revokedAt),
                Profile(Rsa, _rsa.ExportSubjectPublicKeyInfoPem()),
            ],
        }), _time, NullLogger<CodeVerifier>.Instance);

    private SigningProfileOptions Profile(string arn, string pem, DateTimeOffset? validUntil = null, DateTimeOffset? revokedAt = null)
    {
        var file = Path.Combine(_directory, $"{Guid.NewGuid():N}.pem");
        File.WriteAllText(file, pem);
        return new SigningProfileOptions { VersionArn = arn, PublicKeyFile = file, ValidUntil = validUntil, RevokedAt = revokedAt };
    }

    private CodeSigningConfigDefinition Config(string policy, string allowed) => new()
    {
        Id = "csc-0000000000000000a",
        Arn = "arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0000000000000000a",
        SigningProfileVersionArns = [allowed],
        UntrustedArtifactOnDeployment = policy,
        LastModified = _time.GetUtcNow(),
    };

    private static byte[] Package()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("index.py").Open();
            entry.Write("def handler(event, context):\n    return 1\n"u8);
        }

        return buffer.ToArray();
    }

    private static byte[] Sign(byte[] package, string profile, AsymmetricAlgorithm key)
    {
        byte[] signed = [.. package, .. Encoding.ASCII.GetBytes($"\n{profile} {Job}")];
        var signature = key switch
        {
            ECDsa ecdsa => ecdsa.SignData(signed, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignData(signed, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("key"),
        };
        return WithComment(package, $"{PackageSignature.Marker} {profile} {Job} {Convert.ToBase64String(signature)}");
    }

    private static byte[] WithComment(byte[] package, string comment) =>
        [.. package[..^2], (byte)(comment.Length & 0xff), (byte)(comment.Length >> 8), .. Encoding.ASCII.GetBytes(comment)];
}
