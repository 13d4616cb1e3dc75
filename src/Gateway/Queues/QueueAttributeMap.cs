using System.Globalization;
using System.Text.Json;
using LambdaCluster.Grains.Queues;

namespace LambdaCluster.Gateway.Queues;

/// <summary>Queue attributes as SQS spells them (all strings) to and from <see cref="QueueSettings"/>, with SQS's ranges.</summary>
public static class QueueAttributeMap
{
    private static readonly string[] Readable =
    [
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod",
        "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "Policy",
        "RedriveAllowPolicy", "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
    ];

    /// <summary>
    /// Applies attributes to settings (CreateQueue starts from the defaults, SetQueueAttributes from the current ones).
    /// Returns the dead-letter queue the redrive policy names, which the caller checks exists.
    /// </summary>
    public static QueueSettings Apply(QueueSettings settings, IReadOnlyDictionary<string, string> attributes, string queueName, bool creating, string region, string accountId)
    {
        foreach (var (name, value) in attributes)
        {
            settings = name switch
            {
                "VisibilityTimeout" => settings with { VisibilityTimeout = Range(name, value, 0, 43_200) },
                "MessageRetentionPeriod" => settings with { MessageRetentionPeriod = Range(name, value, 60, 1_209_600) },
                "DelaySeconds" => settings with { DelaySeconds = Range(name, value, 0, 900) },
                "MaximumMessageSize" => settings with { MaximumMessageSize = Range(name, value, 1024, 1_048_576) },
                "ReceiveMessageWaitTimeSeconds" => settings with { ReceiveMessageWaitTimeSeconds = Range(name, value, 0, 20) },
                "RedrivePolicy" => Redrive(settings, value, region, accountId),
                "FifoQueue" when creating => settings with { FifoQueue = Bool(name, value) },
                "FifoQueue" => throw new QueueServiceException(QueueErrorType.InvalidAttributeName, "Unknown Attribute FifoQueue."),
                "ContentBasedDeduplication" => settings with { ContentBasedDeduplication = Bool(name, value) },
                "Policy" => settings with { Policy = value.Length == 0 ? null : value },
                "RedriveAllowPolicy" => settings with { RedriveAllowPolicy = value.Length == 0 ? null : value },
                "SqsManagedSseEnabled" => settings with { SqsManagedSseEnabled = Bool(name, value) },
                "KmsMasterKeyId" or "KmsDataKeyReusePeriodSeconds" or "DeduplicationScope" or "FifoThroughputLimit" => settings,
                _ => throw new QueueServiceException(QueueErrorType.InvalidAttributeName, $"Unknown Attribute {name}."),
            };
        }

        var fifoName = queueName.EndsWith(".fifo", StringComparison.Ordinal);
        if (settings.FifoQueue != fifoName)
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, fifoName
                ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
                : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }

        if (settings.ContentBasedDeduplication && !settings.FifoQueue)
        {
            throw new QueueServiceException(QueueErrorType.InvalidAttributeName, "Unknown Attribute ContentBasedDeduplication.");
        }

        return settings;
    }

    public static Dictionary<string, string> Render(QueueSettings settings, QueueCounts counts, IReadOnlyList<string> requested, string arn)
    {
        var all = requested.Contains("All");
        var unknown = requested.FirstOrDefault(r => r != "All" && !Readable.Contains(r));
        if (unknown is not null)
        {
            throw new QueueServiceException(QueueErrorType.InvalidAttributeName, $"Unknown Attribute {unknown}.");
        }

        var values = new Dictionary<string, string?>
        {
            ["ApproximateNumberOfMessages"] = Text(counts.Visible),
            ["ApproximateNumberOfMessagesNotVisible"] = Text(counts.InFlight),
            ["ApproximateNumberOfMessagesDelayed"] = Text(counts.Delayed),
            ["CreatedTimestamp"] = Text(settings.CreatedTimestamp),
            ["LastModifiedTimestamp"] = Text(settings.LastModifiedTimestamp),
            ["QueueArn"] = arn,
            ["VisibilityTimeout"] = Text(settings.VisibilityTimeout),
            ["MaximumMessageSize"] = Text(settings.MaximumMessageSize),
            ["MessageRetentionPeriod"] = Text(settings.MessageRetentionPeriod),
            ["DelaySeconds"] = Text(settings.DelaySeconds),
            ["ReceiveMessageWaitTimeSeconds"] = Text(settings.ReceiveMessageWaitTimeSeconds),
            ["RedrivePolicy"] = settings.RedrivePolicy,
            ["FifoQueue"] = settings.FifoQueue ? "true" : null,
            ["ContentBasedDeduplication"] = settings.FifoQueue ? (settings.ContentBasedDeduplication ? "true" : "false") : null,
            ["Policy"] = settings.Policy,
            ["RedriveAllowPolicy"] = settings.RedriveAllowPolicy,
            ["SqsManagedSseEnabled"] = settings.SqsManagedSseEnabled ? "true" : "false",
            ["DeduplicationScope"] = settings.FifoQueue ? "queue" : null,
            ["FifoThroughputLimit"] = settings.FifoQueue ? "perQueue" : null,
        };
        return values.Where(v => v.Value is not null && (all || requested.Contains(v.Key))).ToDictionary(v => v.Key, v => v.Value!);
    }

    private static QueueSettings Redrive(QueueSettings settings, string value, string region, string accountId)
    {
        if (value.Length == 0)
        {
            return settings with { RedrivePolicy = null, DeadLetterQueue = null, MaxReceiveCount = 0 };
        }

        try
        {
            using var json = JsonDocument.Parse(value);
            var root = json.RootElement;
            var target = root.TryGetProperty("deadLetterTargetArn", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
            var count = root.TryGetProperty("maxReceiveCount", out var c)
                ? c.ValueKind == JsonValueKind.Number ? c.GetInt32() : int.TryParse(c.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0
                : 0;
            if (target is null || QueueNames.FromArn(target, region, accountId) is not { } deadLetterQueue)
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, "Value " + value + " for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.");
            }

            if (count is < 1 or > 1000)
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, "Value " + value + " for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: " + count + ", valid values are from 1 to 1000 both inclusive.");
            }

            return settings with { RedrivePolicy = value, DeadLetterQueue = deadLetterQueue, MaxReceiveCount = count };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, "Value " + value + " for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.");
        }
    }

    private static int Range(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new QueueServiceException(QueueErrorType.InvalidAttributeValue, $"Invalid value for the parameter {name}.");

    private static bool Bool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new QueueServiceException(QueueErrorType.InvalidAttributeValue, $"Invalid value for the parameter {name}."),
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
