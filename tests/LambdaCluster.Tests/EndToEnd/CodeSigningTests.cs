using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Code signing enforced at deployment, through the aws CLI, with packages signed by deploy/sign-package.sh (openssl):
/// Lambda's integrity, mismatch, expiry and revocation checks, under Enforce and Warn; a refused package changes nothing.
/// </summary>
[Collection(IntegrationNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class CodeSigningTests(IntegrationNodeFixture fixture)
{
    [Fact]
    public async Task Deployments_AreCheckedAgainstTheCodeSigningConfig()
    {
        var keys = fixture.Signing;
        var csc = (await Tools.AwsOkAsync(fixture.Node, "lambda", "create-code-signing-config",
            "--allowed-publishers", $"SigningProfileVersionArns={keys.Trusted.VersionArn},{keys.Revoked.VersionArn},{keys.Expired.VersionArn}",
            "--code-signing-policies", "UntrustedArtifactOnDeployment=Enforce",
            "--query", "CodeSigningConfig.CodeSigningConfigArn", "--output", "text")).Trim();
        var unsigned = Package("v1");

        // Enforce: an unsigned package is refused, and no function is created.
        var refused = await CreateAsync(unsigned, csc);
        Assert.Contains("CodeVerificationFailedException", refused.Stderr);
        Assert.Contains("Lambda cannot deploy the function. The function or layer might be signed using a signature that the client is not configured to accept. Check the provided signature for signed-fn.", refused.Stderr);
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(fixture.Node, "lambda", "get-function", "--function-name", "signed-fn")).Stderr);

        // Signed by an allowed profile: created, the signature's profile and job in its configuration, and it runs.
        var (signed, job) = await SignAsync(keys.Trusted, unsigned);
        var created = await CreateAsync(signed, csc);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var configuration = Tools.Json(created.Stdout);
        Assert.Equal(keys.Trusted.VersionArn, configuration.GetProperty("SigningProfileVersionArn").GetString());
        Assert.Equal(job, configuration.GetProperty("SigningJobArn").GetString());
        var output = Path.Combine(fixture.WorkDirectory, "signed-out.json");
        Assert.Equal(0, (await Tools.AwsAsync(fixture.Node, "lambda", "invoke", "--function-name", "signed-fn", output)).ExitCode);
        Assert.Equal("\"v1\"", await File.ReadAllTextAsync(output));

        // Integrity: another package under that signature, and a malformed signature line, are refused.
        var transplanted = WithCommentOf(Package("v2"), signed);
        Assert.Contains("InvalidCodeSignatureException", (await UpdateAsync(transplanted)).Stderr);
        var malformed = WithComment(Package("v2"), "lambda-cluster-signature/1 not-an-arn");
        Assert.Contains("InvalidCodeSignatureException", (await UpdateAsync(malformed)).Stderr);

        // Revoked and expired profiles, and a profile the configuration does not allow (signed by a trusted key, named otherwise).
        Assert.Contains("CodeVerificationFailedException", (await UpdateAsync((await SignAsync(keys.Revoked, Package("v2"))).Path)).Stderr);
        Assert.Contains("CodeVerificationFailedException", (await UpdateAsync((await SignAsync(keys.Expired, Package("v2"))).Path)).Stderr);
        var stranger = keys.Trusted with { VersionArn = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/Stranger/v1" };
        Assert.Contains("CodeVerificationFailedException", (await UpdateAsync((await SignAsync(stranger, Package("v2"))).Path)).Stderr);
        Assert.Equal(0, (await Tools.AwsAsync(fixture.Node, "lambda", "invoke", "--function-name", "signed-fn", output)).ExitCode);
        Assert.Equal("\"v1\"", await File.ReadAllTextAsync(output)); // nothing refused changed the code

        // Layers: a signed layer records its signature at publish; the function takes it, but not an unsigned one.
        var layerPackage = Tools.Zip(fixture.WorkDirectory, ("python/helper.py", "VALUE = 1\n"));
        var signedLayer = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "publish-layer-version", "--layer-name", "signed-layer",
            "--zip-file", $"fileb://{(await SignAsync(keys.Trusted, layerPackage)).Path}"));
        Assert.Equal(keys.Trusted.VersionArn, signedLayer.GetProperty("Content").GetProperty("SigningProfileVersionArn").GetString());
        var unsignedLayer = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "publish-layer-version", "--layer-name", "signed-layer", "--zip-file", $"fileb://{layerPackage}"));
        Assert.False(unsignedLayer.GetProperty("Content").TryGetProperty("SigningProfileVersionArn", out _));
        var withUnsigned = await Tools.AwsAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "signed-fn",
            "--layers", unsignedLayer.GetProperty("LayerVersionArn").GetString()!);
        Assert.Contains("CodeVerificationFailedException", withUnsigned.Stderr);
        Assert.Contains($"Check the provided signature for {unsignedLayer.GetProperty("LayerVersionArn").GetString()}.", withUnsigned.Stderr);
        await Tools.AwsOkAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "signed-fn",
            "--layers", signedLayer.GetProperty("LayerVersionArn").GetString()!);

        // Warn: untrusted packages deploy (without a signature in the configuration); integrity failures still do not.
        await Tools.AwsOkAsync(fixture.Node, "lambda", "update-code-signing-config", "--code-signing-config-arn", csc,
            "--code-signing-policies", "UntrustedArtifactOnDeployment=Warn");
        Assert.Contains("InvalidCodeSignatureException", (await UpdateAsync(transplanted)).Stderr);
        var warned = await UpdateAsync(Package("v3"));
        Assert.True(warned.ExitCode == 0, warned.Stderr);
        Assert.False(Tools.Json(warned.Stdout).TryGetProperty("SigningProfileVersionArn", out _));

        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-function", "--function-name", "signed-fn");
        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-layer-version", "--layer-name", "signed-layer", "--version-number", "1");
        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-layer-version", "--layer-name", "signed-layer", "--version-number", "2");
    }

    private string Package(string answer) =>
        Tools.Zip(fixture.WorkDirectory, ("index.py", $"def handler(event, context):\n    return '{answer}'\n"));

    private async Task<(string Path, string Job)> SignAsync(SigningKeys.Profile profile, string package)
    {
        var signed = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.signed.zip");
        var result = await Tools.RunAsync(Tools.RepositoryFile("deploy", "sign-package.sh"), [profile.PrivateKey, profile.VersionArn, package, signed]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return (signed, result.Stdout.Trim());
    }

    private Task<ProcessResult> CreateAsync(string package, string csc) =>
        Tools.AwsAsync(fixture.Node, "lambda", "create-function", "--function-name", "signed-fn", "--runtime", "python3.12", "--handler", "index.handler",
            "--role", Functions.Role, "--zip-file", $"fileb://{package}", "--code-signing-config-arn", csc);

    private Task<ProcessResult> UpdateAsync(string package) =>
        Tools.AwsAsync(fixture.Node, "lambda", "update-function-code", "--function-name", "signed-fn", "--zip-file", $"fileb://{package}");

    /// <summary>The unsigned package with the archive comment of <paramref name="signed"/> (its signature line).</summary>
    private string WithCommentOf(string package, string signed)
    {
        var text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(signed));
        return WithComment(package, text[text.LastIndexOf("lambda-cluster-signature/1 ", StringComparison.Ordinal)..]);
    }

    private string WithComment(string package, string comment)
    {
        var bytes = File.ReadAllBytes(package);
        var path = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, [.. bytes[..^2], (byte)(comment.Length & 0xff), (byte)(comment.Length >> 8), .. System.Text.Encoding.ASCII.GetBytes(comment)]);
        return path;
    }
}
