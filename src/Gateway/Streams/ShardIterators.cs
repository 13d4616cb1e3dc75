using System.Globalization;
using System.Text;
using LambdaCluster.Grains.Streams;

namespace LambdaCluster.Gateway.Streams;

/// <summary>
/// Shard iterators: opaque to clients, carrying stream, shard, position and an expiry (Kinesis: 5 minutes). Any gateway
/// of the cluster reads any iterator (no per-process secret); a malformed one is refused, and a made-up one can only
/// name a position in a stream of this same account.
/// </summary>
public static class ShardIterators
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public sealed record Iterator(string Stream, int Shard, ShardPosition Position);

    public static string Encode(string stream, int shard, ShardPosition position, DateTimeOffset now)
    {
        var text = string.Join('|', stream, shard.ToString(CultureInfo.InvariantCulture), position.SequenceNumber ?? "", position.Inclusive ? "1" : "0",
            position.TimestampMs?.ToString(CultureInfo.InvariantCulture) ?? "", (now + Lifetime).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }

    public static Iterator Decode(string token, DateTimeOffset now)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        if (parts.Length != 6 || !StreamKeys.IsValidName(parts[0]) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            || (parts[2].Length > 0 && !StreamKeys.IsValidSequenceNumber(parts[2]))
            || (parts[4].Length > 0 && !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            throw Invalid();
        }

        if (expires < now.ToUnixTimeMilliseconds())
        {
            throw new KinesisException("ExpiredIteratorException", "Iterator expired. The iterator was created at time " + now.ToString("O", CultureInfo.InvariantCulture) + " minus 5 minutes.");
        }

        var position = new ShardPosition(parts[2].Length == 0 ? null : parts[2], parts[3] == "1", parts[4].Length == 0 ? null : long.Parse(parts[4], CultureInfo.InvariantCulture));
        return new Iterator(parts[0], shard, position);
    }

    private static KinesisException Invalid() => new("InvalidArgumentException", "Invalid ShardIterator.");
}
