using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class EncryptedGrainStorageSerializerTests
{
    private static readonly StateKey Key = new(
        Options.Create(new StateEncryptionOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
        Options.Create(new NodeOptions()), Options.Create(new ClusterModeOptions()), new ServiceCollection().BuildServiceProvider());

    private readonly EncryptedGrainStorageSerializer _serializer = new(new JsonStateSerializer(), Key);

    [Fact]
    public void State_RoundTrips_AndNeverReachesStorageInPlainText()
    {
        var stored = _serializer.Serialize(new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2-plaintext" });

        Assert.DoesNotContain("hunter2", Encoding.UTF8.GetString(stored.ToArray()), StringComparison.Ordinal);
        Assert.Equal("hunter2-plaintext", _serializer.Deserialize<Dictionary<string, string>>(stored)!["DB_PASSWORD"]);
    }

    [Fact]
    public void AlteredState_FailsToLoad()
    {
        var stored = _serializer.Serialize(new Dictionary<string, string> { ["A"] = "B" }).ToArray();
        stored[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => _serializer.Deserialize<Dictionary<string, string>>(BinaryData.FromBytes(stored)));
    }

    [Fact]
    public void StateWrittenBeforeEncryption_IsStillRead()
    {
        var plain = new JsonStateSerializer().Serialize(new Dictionary<string, string> { ["A"] = "B" });

        Assert.Equal("B", _serializer.Deserialize<Dictionary<string, string>>(plain)!["A"]);
    }

    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input));

        public T? Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToArray());
    }
}
