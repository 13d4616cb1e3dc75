using System.Security.Cryptography;

namespace LambdaCluster.Grains.Tagging;

/// <summary>Random ids in the form Lambda's have (URL ids, code signing config ids): lower-case letters and digits.</summary>
public static class ResourceIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(int length) =>
        string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
}
