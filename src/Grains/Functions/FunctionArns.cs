namespace LambdaCluster.Grains.Functions;

/// <summary>ARNs as Lambda spells them.</summary>
public static class FunctionArns
{
    public static string Function(string region, string accountId, string functionName) =>
        $"arn:aws:lambda:{region}:{accountId}:function:{functionName}";

    public static string Qualified(string functionArn, string qualifier) => $"{functionArn}:{qualifier}";

    /// <summary>The function name and qualifier of a function ARN of this region and account (a destination, a mapping's target).</summary>
    public static bool TryParseFunction(string arn, string region, string accountId, out string functionName, out string? qualifier)
    {
        var prefix = $"arn:aws:lambda:{region}:{accountId}:function:";
        var rest = arn.StartsWith(prefix, StringComparison.Ordinal) ? arn[prefix.Length..] : "";
        var parts = rest.Split(':');
        functionName = parts[0];
        qualifier = parts.Length == 2 ? parts[1] : null;
        return parts.Length is 1 or 2 && functionName.Length is > 0 and <= 64
            && functionName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            && (qualifier is null || qualifier.Length is > 0 and <= 128);
    }
}
