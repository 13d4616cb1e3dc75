namespace LambdaCluster.Grains.Queues;

/// <summary>Queue names, ARNs and the names of the queues the platform keeps for itself.</summary>
public static class QueueNames
{
    /// <summary>SQS's rule: 1-80 letters, digits, hyphens and underscores, plus <c>.fifo</c> for a FIFO queue.</summary>
    public static bool IsValid(string name)
    {
        var stem = name.EndsWith(".fifo", StringComparison.Ordinal) ? name[..^5] : name;
        return name.Length is > 0 and <= 80 && stem.Length > 0 && stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }

    public static string Arn(string region, string accountId, string name) => $"arn:aws:sqs:{region}:{accountId}:{name}";

    /// <summary>The queue name in an SQS ARN of this region and account, or null.</summary>
    public static string? FromArn(string arn, string region, string accountId)
    {
        var prefix = $"arn:aws:sqs:{region}:{accountId}:";
        return arn.StartsWith(prefix, StringComparison.Ordinal) && IsValid(arn[prefix.Length..]) ? arn[prefix.Length..] : null;
    }
}
