using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LambdaCluster.Grains.Queues;

/// <summary>
/// The MD5 digests SQS returns (and the SDKs check): of the body's UTF-8 bytes, and of the message attributes in
/// SQS's encoding (by name, ordinal: length-prefixed name, data type, a transport byte of 1 for string values or 2
/// for binary, length-prefixed value).
/// </summary>
public static class MessageMd5
{
    public static string Of(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    /// <summary>Null when there are no attributes, as SQS leaves it out.</summary>
    public static string? Of(IReadOnlyDictionary<string, MessageAttributeValue>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Write(buffer, Encoding.UTF8.GetBytes(name));
            Write(buffer, Encoding.UTF8.GetBytes(value.DataType));
            if (value.BinaryValue is { } binary)
            {
                buffer.WriteByte(2);
                Write(buffer, binary);
            }
            else
            {
                buffer.WriteByte(1);
                Write(buffer, Encoding.UTF8.GetBytes(value.StringValue ?? ""));
            }
        }

        return Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()));
    }

    private static void Write(MemoryStream buffer, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
