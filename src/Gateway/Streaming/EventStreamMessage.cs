using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace LambdaCluster.Gateway.Streaming;

/// <summary>
/// AWS event-stream framing, the binary messages the SDKs decode from InvokeWithResponseStream: a 12-byte prelude
/// (total length, headers length, CRC32 of those 8 bytes), string headers, the payload, and a CRC32 of everything
/// before it. All integers big-endian.
/// </summary>
public static class EventStreamMessage
{
    private const byte StringHeaderType = 7;
    private const int PreludeBytes = 12;
    private const int TrailerBytes = 4;

    /// <summary>An <c>event</c> message of <paramref name="eventType"/> carrying <paramref name="payload"/>.</summary>
    public static byte[] Event(string eventType, string contentType, ReadOnlySpan<byte> payload) =>
        Encode([(":event-type", eventType), (":content-type", contentType), (":message-type", "event")], payload);

    public static byte[] Encode(IReadOnlyList<(string Name, string Value)> headers, ReadOnlySpan<byte> payload)
    {
        var headersLength = 0;
        foreach (var (name, value) in headers)
        {
            headersLength += 1 + Encoding.UTF8.GetByteCount(name) + 1 + 2 + Encoding.UTF8.GetByteCount(value);
        }

        var total = PreludeBytes + headersLength + payload.Length + TrailerBytes;
        var message = new byte[total];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.HashToUInt32(span[..8]));

        var at = PreludeBytes;
        foreach (var (name, value) in headers)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(at + 1)..]);
            span[at] = (byte)nameLength;
            at += 1 + nameLength;
            span[at++] = StringHeaderType;
            var valueLength = Encoding.UTF8.GetBytes(value, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)valueLength);
            at += 2 + valueLength;
        }

        payload.CopyTo(span[at..]);
        at += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], Crc32.HashToUInt32(span[..at]));
        return message;
    }
}
