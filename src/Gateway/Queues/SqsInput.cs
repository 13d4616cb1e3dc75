using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaCluster.Grains.Queues;

namespace LambdaCluster.Gateway.Queues;

/// <summary>Typed, validated reads of an SQS JSON request body; a missing or mistyped member is SQS's error.</summary>
public sealed class SqsInput(JsonObject body)
{
    public JsonObject Body { get; } = body;

    public string Required(string name) =>
        String(name) is { Length: > 0 } value ? value : throw new QueueServiceException(QueueErrorType.MissingParameter, $"The request must contain the parameter {name}.");

    public string? String(string name) => Body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Invalid(name, Body[name]!.ToJsonString()),
    };

    public int? Int(string name, int min, int max)
    {
        if (Body[name] is null)
        {
            return null;
        }

        if (Body[name] is JsonValue v && v.TryGetValue<int>(out var i) && i >= min && i <= max)
        {
            return i;
        }

        throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Value {Body[name]!.ToJsonString()} for parameter {name} is invalid. Reason: Must be between {min} and {max}, if provided.");
    }

    public IReadOnlyList<string> Strings(string name) => Body[name] switch
    {
        null => [],
        JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid(name, a.ToJsonString())).ToList(),
        var other => throw Invalid(name, other.ToJsonString()),
    };

    public IReadOnlyDictionary<string, string> StringMap(string name) => Body[name] switch
    {
        null => new Dictionary<string, string>(),
        JsonObject o => o.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new QueueServiceException(QueueErrorType.InvalidAttributeValue, $"Invalid value for the parameter {p.Key}.")),
        var other => throw Invalid(name, other.ToJsonString()),
    };

    public IReadOnlyList<SqsInput> Entries(string name, int max)
    {
        var entries = Body[name] as JsonArray ?? throw new QueueServiceException(QueueErrorType.MissingParameter, $"The request must contain the parameter {name}.");
        if (entries.Count == 0)
        {
            throw new QueueServiceException(QueueErrorType.EmptyBatchRequest, "There should be at least one SendMessageBatchRequestEntry in the request.");
        }

        if (entries.Count > max)
        {
            throw new QueueServiceException(QueueErrorType.TooManyEntriesInBatchRequest, $"Maximum number of entries per request are {max}. You have sent {entries.Count}.");
        }

        var inputs = entries.Select(e => new SqsInput(e as JsonObject ?? throw Invalid(name, entries.ToJsonString()))).ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in inputs)
        {
            var id = entry.Required("Id");
            if (id.Length > 80 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new QueueServiceException(QueueErrorType.InvalidBatchEntryId, "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
            }

            if (!ids.Add(id))
            {
                throw new QueueServiceException(QueueErrorType.BatchEntryIdsNotDistinct, $"Id {id} repeated.");
            }
        }

        return inputs;
    }

    /// <summary>MessageAttributes: at most 10, each with a String, Number or Binary data type and its value.</summary>
    public IReadOnlyDictionary<string, MessageAttributeValue>? MessageAttributes()
    {
        if (Body["MessageAttributes"] is not JsonObject attributes || attributes.Count == 0)
        {
            return null;
        }

        if (attributes.Count > 10)
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Number of message attributes [{attributes.Count}] exceeds the allowed maximum [10].");
        }

        var result = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal);
        foreach (var (name, node) in attributes)
        {
            if (name.Length is 0 or > 256 || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal)
                || name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase)
                || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Message attribute name '{name}' is invalid.");
            }

            var value = new SqsInput(node as JsonObject ?? throw Invalid("MessageAttributes", attributes.ToJsonString()));
            var dataType = value.String("DataType") ?? throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"The message attribute '{name}' must contain non-empty message attribute type.");
            var kind = dataType.Split('.', 2)[0];
            if (kind is "String" or "Number")
            {
                var text = value.String("StringValue") ?? throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"The message attribute '{name}' with type '{kind}' must use field 'String'.");
                if (kind == "Number" && !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Can't cast the value of message (user) attribute '{name}' to a number.");
                }

                result[name] = new MessageAttributeValue(dataType, text, null);
            }
            else if (kind == "Binary")
            {
                var base64 = value.String("BinaryValue") ?? throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"The message attribute '{name}' with type 'Binary' must use field 'Binary'.");
                try
                {
                    result[name] = new MessageAttributeValue(dataType, null, Convert.FromBase64String(base64));
                }
                catch (FormatException)
                {
                    throw Invalid("BinaryValue", base64);
                }
            }
            else
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"The type of message (user) attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
            }
        }

        return result;
    }

    private static QueueServiceException Invalid(string name, string value) =>
        new(QueueErrorType.InvalidParameterValue, $"Value {value} for parameter {name} is invalid.");
}
