using LambdaCluster.Grains.Credentials;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Tests.Support;
using Microsoft.Extensions.Options;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>A function's temporary credentials hold only while unaltered, unexpired and used with the key they were issued with.</summary>
[Trait("Category", "Unit")]
public sealed class FunctionCredentialsTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    private readonly ManualTime _time = new();

    [Fact]
    public void IssuedCredentials_ValidateToTheirSecretAndFunction_OnAnyNodeWithTheSameKey()
    {
        var issued = Credentials(KeyA).Issue(Spec());
        Assert.StartsWith("ASIA", issued.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(20, issued.AccessKeyId.Length);
        Assert.Equal(_time.GetUtcNow().Add(FunctionCredentials.Lifetime).ToUnixTimeSeconds(), issued.Expiration.ToUnixTimeSeconds());

        // Another node of the cluster (same state key, nothing shared but the key) accepts them.
        Assert.Equal((issued.SecretAccessKey, Arn), Credentials(KeyA).Validate(issued.AccessKeyId, issued.SessionToken));
        Assert.NotEqual(issued.AccessKeyId, Credentials(KeyA).Issue(Spec()).AccessKeyId);
    }

    [Fact]
    public void ForgedAlteredExpiredOrBorrowedTokens_AreRefused()
    {
        var credentials = Credentials(KeyA);
        var issued = credentials.Issue(Spec());
        var other = credentials.Issue(Spec());

        Assert.Null(Credentials(KeyB).Validate(issued.AccessKeyId, issued.SessionToken)); // another cluster's key
        Assert.Null(credentials.Validate(other.AccessKeyId, issued.SessionToken)); // a token with another key id
        Assert.Null(credentials.Validate("AKIAIOSFODNN7EXAMPLE", issued.SessionToken));
        var middle = issued.SessionToken.Length - 10; // a character of the MAC that carries all six of its bits
        Assert.Null(credentials.Validate(issued.AccessKeyId, issued.SessionToken[..middle] + (issued.SessionToken[middle] == 'A' ? 'B' : 'A') + issued.SessionToken[(middle + 1)..]));
        Assert.Null(credentials.Validate(issued.AccessKeyId, issued.SessionToken[..5] + (issued.SessionToken[5] == 'A' ? 'B' : 'A') + issued.SessionToken[6..])); // the expiry
        Assert.Null(credentials.Validate(issued.AccessKeyId, "not a token"));
        Assert.Null(credentials.Validate(issued.AccessKeyId, "."));
        Assert.Null(credentials.Validate(issued.AccessKeyId, new string('A', 5000)));

        _time.Advance(FunctionCredentials.Lifetime);
        Assert.Null(credentials.Validate(issued.AccessKeyId, issued.SessionToken));
    }

    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private FunctionCredentials Credentials(string key) =>
        new(new StateKey(Options.Create(new StateEncryptionOptions { Key = key }), Options.Create(new NodeOptions()), Options.Create(new ClusterModeOptions()), null!), _time);

    private static EnvironmentSpec Spec() => new()
    {
        FunctionName = "f", FunctionArn = Arn, Version = "$LATEST", Runtime = "python3.12", Handler = "index.handler", MemorySize = 128, Timeout = 3,
        CodeSha256Hex = "00", Variables = new Dictionary<string, string>(), Revision = "1", LogGroup = "/aws/lambda/f", Region = "us-east-1",
    };
}
