using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Queues;

/// <summary>
/// The SQS subset clients use, on the SQS JSON protocol (<c>X-Amz-Target: AmazonSQS.*</c>, JSON 1.0), served by the
/// gateway so that <c>aws sqs</c> and the SDKs work against the same endpoint as Lambda. Queue URLs are
/// <c>{endpoint}/{account}/{name}</c>; every queue is one <see cref="IQueueGrain"/>.
/// </summary>
public sealed class SqsApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    public const string TargetPrefix = "AmazonSQS.";

    private const int MaxBatchEntries = 10;

    private string Region => node.Value.Region;

    private string Account => node.Value.AccountId;

    public async Task HandleAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        try
        {
            var input = new SqsInput(JsonProtocolBody.Read(http) ?? throw new QueueServiceException(QueueErrorType.InvalidParameterValue, "The request body is not valid JSON."));

            JsonObject output = target[TargetPrefix.Length..] switch
            {
                "CreateQueue" => await CreateQueueAsync(http, input),
                "GetQueueUrl" => await GetQueueUrlAsync(http, input),
                "ListQueues" => await ListQueuesAsync(http, input),
                "DeleteQueue" => await DeleteQueueAsync(http, input),
                "GetQueueAttributes" => await GetQueueAttributesAsync(http, input),
                "SetQueueAttributes" => await SetQueueAttributesAsync(http, input),
                "PurgeQueue" => await PurgeQueueAsync(http, input),
                "SendMessage" => await SendMessageAsync(http, input),
                "SendMessageBatch" => await SendMessageBatchAsync(http, input),
                "ReceiveMessage" => await ReceiveMessageAsync(http, input),
                "DeleteMessage" => await DeleteMessageAsync(http, input),
                "DeleteMessageBatch" => await DeleteMessageBatchAsync(http, input),
                "ChangeMessageVisibility" => await ChangeMessageVisibilityAsync(http, input),
                "ChangeMessageVisibilityBatch" => await ChangeMessageVisibilityBatchAsync(http, input),
                "TagQueue" => await TagQueueAsync(input),
                "UntagQueue" => await UntagQueueAsync(input),
                "ListQueueTags" => await ListQueueTagsAsync(input),
                "ListDeadLetterSourceQueues" => await ListDeadLetterSourceQueuesAsync(http, input),
                var other => throw new QueueServiceException(QueueErrorType.UnsupportedOperation, $"Operation {other} is not supported by this endpoint."),
            };
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/x-amz-json-1.0";
            await http.Response.WriteAsync(output.ToJsonString());
        }
        catch (QueueServiceException e)
        {
            await SqsErrors.WriteAsync(http, e.ErrorType, e.Message);
        }
    }

    private async Task<JsonObject> CreateQueueAsync(HttpContext http, SqsInput input)
    {
        var name = input.Required("QueueName");
        if (!QueueNames.IsValid(name))
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }

        var attributes = input.StringMap("Attributes");
        var defaults = new QueueSettings { FifoQueue = name.EndsWith(".fifo", StringComparison.Ordinal) && !attributes.ContainsKey("FifoQueue") };
        var settings = QueueAttributeMap.Apply(defaults, attributes, name, creating: true, Region, Account);
        await CheckDeadLetterQueueAsync(settings);
        var tags = Tags(input.StringMap("tags"));
        var queue = grains.GetGrain<IQueueGrain>(name);
        await queue.CreateAsync(settings);
        if (tags.Count > 0)
        {
            await queue.TagAsync(tags);
        }

        await Registry.AddAsync(name);
        return new JsonObject { ["QueueUrl"] = QueueUrl(http, name) };
    }

    private async Task<JsonObject> GetQueueUrlAsync(HttpContext http, SqsInput input)
    {
        var name = input.Required("QueueName");
        if (!QueueNames.IsValid(name) || !await grains.GetGrain<IQueueGrain>(name).ExistsAsync())
        {
            throw QueueServiceException.NotFound();
        }

        return new JsonObject { ["QueueUrl"] = QueueUrl(http, name) };
    }

    private async Task<JsonObject> ListQueuesAsync(HttpContext http, SqsInput input)
    {
        var prefix = input.String("QueueNamePrefix") ?? "";
        var max = input.Int("MaxResults", 1, 1000);
        var names = (await Registry.ListAsync(input.String("NextToken"), 1000)).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var page = max is { } m ? names.Take(m).ToList() : names;
        var output = new JsonObject();
        if (page.Count > 0)
        {
            output["QueueUrls"] = new JsonArray(page.Select(n => (JsonNode)QueueUrl(http, n)).ToArray());
        }

        if (max is { } limit && names.Count > limit)
        {
            output["NextToken"] = page[^1];
        }

        return output;
    }

    private async Task<JsonObject> DeleteQueueAsync(HttpContext http, SqsInput input)
    {
        var (name, queue) = Queue(input);
        await queue.DeleteAsync();
        await Registry.RemoveAsync(name);
        return [];
    }

    private async Task<JsonObject> GetQueueAttributesAsync(HttpContext http, SqsInput input)
    {
        var (name, queue) = Queue(input);
        var settings = await queue.GetSettingsAsync();
        var counts = await queue.CountsAsync();
        var attributes = QueueAttributeMap.Render(settings, counts, input.Strings("AttributeNames"), QueueNames.Arn(Region, Account, name));
        var output = new JsonObject();
        if (attributes.Count > 0)
        {
            output["Attributes"] = new JsonObject(attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return output;
    }

    private async Task<JsonObject> SetQueueAttributesAsync(HttpContext http, SqsInput input)
    {
        var (name, queue) = Queue(input);
        var settings = QueueAttributeMap.Apply(await queue.GetSettingsAsync(), input.StringMap("Attributes"), name, creating: false, Region, Account);
        await CheckDeadLetterQueueAsync(settings);
        await queue.SetSettingsAsync(settings);
        return [];
    }

    private async Task<JsonObject> PurgeQueueAsync(HttpContext http, SqsInput input)
    {
        await Queue(input).Grain.PurgeAsync();
        return [];
    }

    private async Task<JsonObject> SendMessageAsync(HttpContext http, SqsInput input)
    {
        var (_, queue) = Queue(input);
        var sent = (await queue.SendAsync([Outgoing(input, http)]))[0];
        return Sent(sent);
    }

    private async Task<JsonObject> SendMessageBatchAsync(HttpContext http, SqsInput input)
    {
        // Entries that fail validation are reported as failed; the others go to the queue in one call.
        var (_, queue) = Queue(input);
        var entries = input.Entries("Entries", MaxBatchEntries);
        if (entries.Sum(e => Encoding.UTF8.GetByteCount(e.String("MessageBody") ?? "")) > 1_048_576)
        {
            throw new QueueServiceException(QueueErrorType.BatchRequestTooLong, "Batch requests cannot be longer than 1048576 bytes.");
        }

        var failed = new JsonArray();
        var accepted = new List<(string Id, OutgoingMessage Message)>();
        foreach (var entry in entries)
        {
            try
            {
                accepted.Add((entry.Required("Id"), Outgoing(entry, http)));
            }
            catch (QueueServiceException e)
            {
                failed.Add(Failure(entry.Required("Id"), e.ErrorType, e.Message));
            }
        }

        var successful = new JsonArray();
        if (accepted.Count > 0)
        {
            var sent = await queue.SendAsync(accepted.Select(a => a.Message).ToList());
            for (var i = 0; i < sent.Count; i++)
            {
                var result = Sent(sent[i]);
                result["Id"] = accepted[i].Id;
                successful.Add(result);
            }
        }

        return new JsonObject { ["Successful"] = successful, ["Failed"] = failed };
    }

    private async Task<JsonObject> ReceiveMessageAsync(HttpContext http, SqsInput input)
    {
        var (_, queue) = Queue(input);
        var max = input.Int("MaxNumberOfMessages", 1, 10) ?? 1;
        var visibility = input.Int("VisibilityTimeout", 0, 43_200);
        var wait = input.Int("WaitTimeSeconds", 0, 20) ?? (await queue.GetSettingsAsync()).ReceiveMessageWaitTimeSeconds;
        var systemNames = input.Strings("AttributeNames").Concat(input.Strings("MessageSystemAttributeNames")).ToHashSet(StringComparer.Ordinal);
        var attributeNames = input.Strings("MessageAttributeNames");
        var messages = await queue.ReceiveAsync(max, visibility, wait);
        var output = new JsonObject();
        if (messages.Count > 0)
        {
            output["Messages"] = new JsonArray(messages.Select(m => (JsonNode)Received(m, systemNames, attributeNames)).ToArray());
        }

        return output;
    }

    private async Task<JsonObject> DeleteMessageAsync(HttpContext http, SqsInput input)
    {
        var handle = input.Required("ReceiptHandle");
        if ((await Queue(input).Grain.DeleteMessagesAsync([handle]))[0] is { } error)
        {
            throw new QueueServiceException(error, $"The input receipt handle \"{handle}\" is not a valid receipt handle.");
        }

        return [];
    }

    private async Task<JsonObject> DeleteMessageBatchAsync(HttpContext http, SqsInput input)
    {
        var (_, queue) = Queue(input);
        var entries = input.Entries("Entries", MaxBatchEntries);
        var outcomes = await queue.DeleteMessagesAsync(entries.Select(e => e.Required("ReceiptHandle")).ToList());
        return BatchResult(entries, outcomes, "The input receipt handle is not a valid receipt handle.");
    }

    private async Task<JsonObject> ChangeMessageVisibilityAsync(HttpContext http, SqsInput input)
    {
        var handle = input.Required("ReceiptHandle");
        var timeout = input.Int("VisibilityTimeout", 0, 43_200) ?? throw new QueueServiceException(QueueErrorType.MissingParameter, "The request must contain the parameter VisibilityTimeout.");
        if ((await Queue(input).Grain.ChangeVisibilityAsync([(handle, timeout)]))[0] is { } error)
        {
            throw new QueueServiceException(error, error == QueueErrorType.MessageNotInflight
                ? "Message does not exist or is not available for visibility timeout change."
                : $"The input receipt handle \"{handle}\" is not a valid receipt handle.");
        }

        return [];
    }

    private async Task<JsonObject> ChangeMessageVisibilityBatchAsync(HttpContext http, SqsInput input)
    {
        var (_, queue) = Queue(input);
        var entries = input.Entries("Entries", MaxBatchEntries);
        var changes = entries.Select(e => (e.Required("ReceiptHandle"), e.Int("VisibilityTimeout", 0, 43_200) ?? 0)).ToList();
        var outcomes = await queue.ChangeVisibilityAsync(changes);
        return BatchResult(entries, outcomes, "Message does not exist or is not available for visibility timeout change.");
    }

    private async Task<JsonObject> TagQueueAsync(SqsInput input)
    {
        var tags = Tags(input.StringMap("Tags"));
        if (tags.Count == 0)
        {
            throw new QueueServiceException(QueueErrorType.MissingParameter, "The request must contain the parameter Tags.");
        }

        await Queue(input).Grain.TagAsync(tags);
        return [];
    }

    private async Task<JsonObject> UntagQueueAsync(SqsInput input)
    {
        var keys = input.Strings("TagKeys");
        if (keys.Count == 0)
        {
            throw new QueueServiceException(QueueErrorType.MissingParameter, "The request must contain the parameter TagKeys.");
        }

        await Queue(input).Grain.UntagAsync(keys);
        return [];
    }

    private async Task<JsonObject> ListQueueTagsAsync(SqsInput input)
    {
        var tags = await Queue(input).Grain.ListTagsAsync();
        var output = new JsonObject();
        if (tags.Count > 0)
        {
            output["Tags"] = new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
        }

        return output;
    }

    /// <summary>The queues whose redrive policy names this one as their dead-letter queue.</summary>
    private async Task<JsonObject> ListDeadLetterSourceQueuesAsync(HttpContext http, SqsInput input)
    {
        var (name, queue) = Queue(input);
        _ = await queue.GetSettingsAsync();
        var max = input.Int("MaxResults", 1, 1000) ?? 1000;
        var names = await Registry.ListAsync(input.String("NextToken"), 1000);
        var settings = await Task.WhenAll(names.Select(async n =>
        {
            try
            {
                return (Name: n, Settings: (QueueSettings?)await grains.GetGrain<IQueueGrain>(n).GetSettingsAsync());
            }
            catch (QueueServiceException)
            {
                return (Name: n, Settings: null); // deleted meanwhile
            }
        }));
        var sources = settings.Where(s => s.Settings?.DeadLetterQueue == name).Select(s => s.Name).ToList();
        var output = new JsonObject { ["queueUrls"] = new JsonArray(sources.Take(max).Select(n => (JsonNode)QueueUrl(http, n)).ToArray()) };
        if (sources.Count > max)
        {
            output["NextToken"] = sources[max - 1];
        }

        return output;
    }

    /// <summary>Tags as SQS limits them: keys of 1-128 characters, values of at most 256.</summary>
    private static IReadOnlyDictionary<string, string> Tags(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128 || value.Length > 256)
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Tag '{key}' is invalid: keys have 1 to 128 characters, values at most 256.");
            }
        }

        return tags;
    }

    private IFunctionRegistryGrain Registry => grains.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Queues(Account));

    /// <summary>The queue a request's QueueUrl names (its last path segment; the account must be this one).</summary>
    private (string Name, IQueueGrain Grain) Queue(SqsInput input)
    {
        var url = input.Required("QueueUrl");
        var parts = (Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url).Trim('/').Split('/');
        var name = parts[^1];
        if (parts.Length < 2 || parts[^2] != Account || !QueueNames.IsValid(name))
        {
            throw QueueServiceException.NotFound();
        }

        return (name, grains.GetGrain<IQueueGrain>(name));
    }

    private async Task CheckDeadLetterQueueAsync(QueueSettings settings)
    {
        if (settings.DeadLetterQueue is { } deadLetterQueue && !await grains.GetGrain<IQueueGrain>(deadLetterQueue).ExistsAsync())
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Value {settings.RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.");
        }
    }

    private string QueueUrl(HttpContext http, string name) => $"{http.Request.Scheme}://{http.Request.Host}/{Account}/{name}";

    private static OutgoingMessage Outgoing(SqsInput input, HttpContext http)
    {
        var body = input.String("MessageBody");
        if (string.IsNullOrEmpty(body))
        {
            throw new QueueServiceException(QueueErrorType.MissingParameter, "The request must contain the parameter MessageBody.");
        }

        if (!ValidBody(body))
        {
            throw new QueueServiceException(QueueErrorType.InvalidMessageContents, "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        }

        var system = input.Body["MessageSystemAttributes"] as JsonObject;
        return new OutgoingMessage
        {
            Body = body,
            Attributes = input.MessageAttributes(),
            DelaySeconds = input.Int("DelaySeconds", 0, 900),
            GroupId = input.String("MessageGroupId"),
            DeduplicationId = input.String("MessageDeduplicationId"),
            TraceHeader = system?["AWSTraceHeader"]?["StringValue"]?.GetValue<string>() ?? http.Request.Headers["X-Amzn-Trace-Id"].FirstOrDefault(),
        };
    }

    private static bool ValidBody(string body)
    {
        foreach (var rune in body.EnumerateRunes())
        {
            var c = rune.Value;
            if (!(c is 0x9 or 0xA or 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000))
            {
                return false;
            }
        }

        return true;
    }

    private static JsonObject Sent(SentMessage sent)
    {
        var output = new JsonObject { ["MessageId"] = sent.MessageId, ["MD5OfMessageBody"] = sent.Md5OfBody };
        if (sent.Md5OfAttributes is not null)
        {
            output["MD5OfMessageAttributes"] = sent.Md5OfAttributes;
        }

        if (sent.SequenceNumber is not null)
        {
            output["SequenceNumber"] = sent.SequenceNumber;
        }

        return output;
    }

    private static JsonObject Received(ReceivedMessage message, HashSet<string> systemNames, IReadOnlyList<string> attributeNames)
    {
        var output = new JsonObject
        {
            ["MessageId"] = message.MessageId,
            ["ReceiptHandle"] = message.ReceiptHandle,
            ["MD5OfBody"] = message.Md5OfBody,
            ["Body"] = message.Body,
        };
        var system = message.SystemAttributes.Where(a => systemNames.Contains("All") || systemNames.Contains(a.Key)).ToList();
        if (system.Count > 0)
        {
            output["Attributes"] = new JsonObject(system.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        var attributes = (message.Attributes ?? new Dictionary<string, MessageAttributeValue>()).Where(a => Wanted(a.Key, attributeNames)).ToList();
        if (attributes.Count > 0)
        {
            // The MD5 covers every attribute of the message, so it is only sent along with all of them.
            output["MD5OfMessageAttributes"] = MessageMd5.Of(attributes.ToDictionary(a => a.Key, a => a.Value));
            output["MessageAttributes"] = new JsonObject(attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)AttributeJson(a.Value))));
        }

        return output;
    }

    private static bool Wanted(string name, IReadOnlyList<string> requested) =>
        requested.Any(r => r is "All" or ".*" || r == name || (r.EndsWith(".*", StringComparison.Ordinal) && name.StartsWith(r[..^1], StringComparison.Ordinal)));

    private static JsonObject AttributeJson(MessageAttributeValue value)
    {
        var json = new JsonObject { ["DataType"] = value.DataType };
        if (value.BinaryValue is { } binary)
        {
            json["BinaryValue"] = Convert.ToBase64String(binary);
        }
        else
        {
            json["StringValue"] = value.StringValue;
        }

        return json;
    }

    private static JsonObject Failure(string id, QueueErrorType type, string message) =>
        new() { ["Id"] = id, ["SenderFault"] = true, ["Code"] = SqsErrors.QueryCode(type), ["Message"] = message };

    private static JsonObject BatchResult(IReadOnlyList<SqsInput> entries, IReadOnlyList<QueueErrorType?> outcomes, string failureMessage)
    {
        var successful = new JsonArray();
        var failed = new JsonArray();
        for (var i = 0; i < entries.Count; i++)
        {
            var id = entries[i].Required("Id");
            if (outcomes[i] is { } error)
            {
                failed.Add(Failure(id, error, failureMessage));
            }
            else
            {
                successful.Add(new JsonObject { ["Id"] = id });
            }
        }

        return new JsonObject { ["Successful"] = successful, ["Failed"] = failed };
    }
}
