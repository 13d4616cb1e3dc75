using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LambdaCluster.Gateway.CodeSigning;

/// <summary>
/// The signature a signed .zip deployment package carries, this cluster's stand-in for AWS Signer's signed zips: the
/// archive comment (the end of central directory record's comment, which no unzip tool reads as content) holds one
/// ASCII line <c>lambda-cluster-signature/1 {SigningProfileVersionArn} {SigningJobArn} {base64 signature}</c>. The
/// signature is over the unsigned package (the same bytes with that comment removed and its length set to zero)
/// followed by <c>\n{SigningProfileVersionArn} {SigningJobArn}</c>, so that neither name can be swapped; hashed with
/// SHA-384; ECDSA (DER, as <c>openssl dgst -sha384 -sign</c> writes it) or RSA PKCS#1 v1.5.
/// <c>deploy/sign-package.sh</c> makes one with openssl.
/// </summary>
public sealed partial record PackageSignature(string SigningProfileVersionArn, string SigningJobArn, byte[] Signature)
{
    public const string Marker = "lambda-cluster-signature/1";

    private const uint EndOfCentralDirectory = 0x06054b50;
    private const int EndRecordLength = 22;

    /// <summary>
    /// The package's signature: null when its comment is not one (an unsigned package), <see cref="FormatException"/>
    /// when the comment starts like one but is not well formed (an integrity failure: Lambda refuses those whatever the policy).
    /// </summary>
    public static PackageSignature? Read(ReadOnlySpan<byte> package)
    {
        if (FindEndRecord(package) is not { } end)
        {
            return null;
        }

        var comment = package[(end + EndRecordLength)..];
        if (!comment.StartsWith(Encoding.ASCII.GetBytes(Marker + " ")))
        {
            return null;
        }

        var parts = Encoding.ASCII.GetString(comment).Split(' ');
        if (parts.Length != 4 || !ProfileVersionArn().IsMatch(parts[1]) || !JobArn().IsMatch(parts[2]))
        {
            throw new FormatException("The package's signature line is not well formed.");
        }

        try
        {
            return new PackageSignature(parts[1], parts[2], Convert.FromBase64String(parts[3]));
        }
        catch (FormatException)
        {
            throw new FormatException("The package's signature is not base64.");
        }
    }

    /// <summary>Whether <see cref="Signature"/> is <paramref name="key"/>'s signature of the unsigned form of <paramref name="package"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> package, AsymmetricAlgorithm key)
    {
        var end = FindEndRecord(package) ?? throw new InvalidOperationException("not a signed package");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
        sha.AppendData(package[..(end + EndRecordLength - 2)]);
        sha.AppendData([0, 0]); // the unsigned package's comment length
        sha.AppendData(Encoding.ASCII.GetBytes($"\n{SigningProfileVersionArn} {SigningJobArn}"));
        var hash = sha.GetHashAndReset();
        return key switch
        {
            ECDsa ecdsa => ecdsa.VerifyHash(hash, Signature, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.VerifyHash(hash, Signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            _ => false,
        };
    }

    /// <summary>AWS Signer's profile version ARN: <c>arn:aws:signer:{region}:{account}:/signing-profiles/{name}/{version}</c>.</summary>
    [GeneratedRegex(@"^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:/signing-profiles/[A-Za-z0-9_]{2,64}/[A-Za-z0-9]{1,64}\z")]
    public static partial Regex ProfileVersionArn();

    /// <summary>AWS Signer's job ARN: <c>arn:aws:signer:{region}:{account}:/signing-jobs/{id}</c>.</summary>
    [GeneratedRegex(@"^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:/signing-jobs/[A-Za-z0-9-]{1,64}\z")]
    private static partial Regex JobArn();

    /// <summary>Where the end of central directory record starts: the last signature whose comment runs exactly to the end.</summary>
    private static int? FindEndRecord(ReadOnlySpan<byte> package)
    {
        for (var at = package.Length - EndRecordLength; at >= 0 && at >= package.Length - EndRecordLength - ushort.MaxValue; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(package[at..]) == EndOfCentralDirectory
                && at + EndRecordLength + BinaryPrimitives.ReadUInt16LittleEndian(package[(at + 20)..]) == package.Length)
            {
                return at;
            }
        }

        return null;
    }
}
