using System.Security.Cryptography;
using System.Text;

namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// Lambda's recursive loop detection: how many times an event's chain of requests has invoked a function, carried in
/// the X-Ray trace header as <c>Lineage=&lt;8 hex of the function&gt;:&lt;count&gt;</c> (several functions' entries joined
/// by <c>|</c>). Runtimes hand the header to the SDKs (<c>_X_AMZN_TRACE_ID</c>), whose recursion-detection
/// middleware sends it on (X-Amzn-Trace-Id; SQS keeps it as AWSTraceHeader), so an event that comes back to the
/// function carries the count. Lambda stops the invocation that would exceed <see cref="MaxInvocations"/>.
/// </summary>
public static class RecursionLineage
{
    /// <summary>Invocations of one function a chain may make before Lambda stops it (the 17th is refused).</summary>
    public const int MaxInvocations = 16;

    private const string Key = "Lineage=";

    /// <summary>The 8 hex digits a function stands under in lineages (of its unqualified ARN).</summary>
    public static string FunctionHash(string functionArn) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(functionArn)))[..8];

    /// <summary>The trace with this function's count one higher (1 when absent), and that count.</summary>
    public static (string Trace, int Count) Advance(string trace, string functionHash)
    {
        var fields = trace.Split(';');
        var at = Array.FindIndex(fields, f => f.StartsWith(Key, StringComparison.Ordinal));
        var entries = at < 0 ? [] : fields[at][Key.Length..].Split('|', StringSplitOptions.RemoveEmptyEntries).ToList();
        var count = 1;
        var index = entries.FindIndex(e => e.StartsWith(functionHash + ":", StringComparison.Ordinal));
        if (index >= 0)
        {
            count = int.TryParse(entries[index].AsSpan(functionHash.Length + 1), out var seen) && seen is >= 0 and < int.MaxValue ? seen + 1 : 1;
            entries[index] = $"{functionHash}:{count}";
        }
        else
        {
            entries.Add($"{functionHash}:{count}");
        }

        var lineage = Key + string.Join('|', entries);
        return (at < 0 ? $"{trace};{lineage}" : string.Join(';', fields.Select((f, i) => i == at ? lineage : f)), count);
    }
}
