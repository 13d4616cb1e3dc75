using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace LambdaCluster.Grains.Streams;

/// <summary>Stream names, ARNs, shard ids, hash key ranges and sequence numbers as Kinesis spells them.</summary>
public static class StreamKeys
{
    private static readonly BigInteger HashSpace = BigInteger.Pow(2, 128);

    /// <summary>Kinesis's rule: 1-128 letters, digits, underscores, hyphens and periods.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    public static string Arn(string region, string accountId, string name) => $"arn:aws:kinesis:{region}:{accountId}:stream/{name}";

    /// <summary>The stream a Kinesis ARN of this region and account names, or null.</summary>
    public static string? FromArn(string arn, string region, string accountId)
    {
        var prefix = $"arn:aws:kinesis:{region}:{accountId}:stream/";
        return arn.StartsWith(prefix, StringComparison.Ordinal) && IsValidName(arn[prefix.Length..]) ? arn[prefix.Length..] : null;
    }

    public static string ShardId(int index) => $"shardId-{index:D12}";

    public static int? ShardIndex(string shardId) =>
        shardId.StartsWith("shardId-", StringComparison.Ordinal) && int.TryParse(shardId[8..], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    public static string ShardGrainKey(string stream, int index) => $"{stream}/{index}";

    /// <summary>The shard whose hash key range holds the partition key's MD5 (or an explicit hash key).</summary>
    public static int ShardFor(string partitionKey, string? explicitHashKey, int shardCount)
    {
        var hash = explicitHashKey is not null
            ? BigInteger.Parse(explicitHashKey, CultureInfo.InvariantCulture)
            : new BigInteger(MD5.HashData(Encoding.UTF8.GetBytes(partitionKey)), isUnsigned: true, isBigEndian: true);
        return (int)(hash * shardCount / HashSpace);
    }

    public static bool IsValidHashKey(string key) =>
        BigInteger.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < HashSpace;

    public static (string Start, string End) HashKeyRange(int index, int shardCount) =>
        ((HashSpace * index / shardCount).ToString(CultureInfo.InvariantCulture), ((HashSpace * (index + 1) / shardCount) - 1).ToString(CultureInfo.InvariantCulture));

    /// <summary>56 digits, increasing within a shard (fixed width, so ordinal order is numeric order).</summary>
    public static string SequenceNumber(int shardIndex, long counter) =>
        string.Create(CultureInfo.InvariantCulture, $"49{shardIndex:D5}{counter:D49}");

    public static bool IsValidSequenceNumber(string sequenceNumber) =>
        sequenceNumber.Length == 56 && sequenceNumber.All(char.IsAsciiDigit);
}
