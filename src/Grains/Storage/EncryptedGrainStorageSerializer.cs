using System.Security.Cryptography;
using Orleans.Storage;

namespace LambdaCluster.Grains.Storage;

/// <summary>
/// Encrypts serialized grain state with AES-GCM under the cluster's key before it reaches storage (files or
/// Redis), and authenticates it on the way back: a changed byte fails the read instead of loading altered state.
/// Layout: "LCE1", 12-byte nonce, 16-byte tag, ciphertext. State written before encryption existed (no marker)
/// is still read, and encrypted on its next write.
/// </summary>
public sealed class EncryptedGrainStorageSerializer(IGrainStorageSerializer inner, StateKey key) : IGrainStorageSerializer
{
    private static readonly byte[] Marker = "LCE1"u8.ToArray();
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public BinaryData Serialize<T>(T? input)
    {
        var plain = inner.Serialize(input).ToMemory().Span;
        var output = new byte[Marker.Length + NonceBytes + TagBytes + plain.Length];
        Marker.CopyTo(output, 0);
        var nonce = output.AsSpan(Marker.Length, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Value, TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(Marker.Length + NonceBytes + TagBytes), output.AsSpan(Marker.Length + NonceBytes, TagBytes));
        return BinaryData.FromBytes(output);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory();
        if (bytes.Length < Marker.Length + NonceBytes + TagBytes || !bytes.Span.StartsWith(Marker))
        {
            return inner.Deserialize<T>(input);
        }

        var span = bytes.Span;
        var plain = new byte[bytes.Length - Marker.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key.Value, TagBytes);
        aes.Decrypt(span.Slice(Marker.Length, NonceBytes), span[(Marker.Length + NonceBytes + TagBytes)..], span.Slice(Marker.Length + NonceBytes, TagBytes), plain);
        return inner.Deserialize<T>(BinaryData.FromBytes(plain));
    }
}
