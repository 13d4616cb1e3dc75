using System.Text.Json.Nodes;
using LambdaCluster.Grains.Queues;

namespace LambdaCluster.Grains.EventSources;

/// <summary>Lambda's aws:sqs event for a batch: one record per message, attributes as strings, message attributes in camelCase.</summary>
public static class SqsEvent
{
    private static readonly string[] EventAttributes =
    [
        "ApproximateReceiveCount", "SentTimestamp", "SequenceNumber", "MessageGroupId", "SenderId", "MessageDeduplicationId",
        "ApproximateFirstReceiveTimestamp", "AWSTraceHeader", "DeadLetterQueueSourceArn",
    ];

    public static byte[] Build(IReadOnlyList<ReceivedMessage> batch, string queueArn, string region)
    {
        var records = new JsonArray();
        foreach (var message in batch)
        {
            var attributes = new JsonObject();
            foreach (var name in EventAttributes)
            {
                if (message.SystemAttributes.TryGetValue(name, out var value))
                {
                    attributes[name] = value;
                }
            }

            var messageAttributes = new JsonObject();
            foreach (var (name, value) in message.Attributes ?? new Dictionary<string, MessageAttributeValue>())
            {
                var attribute = new JsonObject();
                if (value.BinaryValue is { } binary)
                {
                    attribute["binaryValue"] = Convert.ToBase64String(binary);
                }
                else
                {
                    attribute["stringValue"] = value.StringValue;
                }

                attribute["stringListValues"] = new JsonArray();
                attribute["binaryListValues"] = new JsonArray();
                attribute["dataType"] = value.DataType;
                messageAttributes[name] = attribute;
            }

            records.Add(new JsonObject
            {
                ["messageId"] = message.MessageId,
                ["receiptHandle"] = message.ReceiptHandle,
                ["body"] = message.Body,
                ["attributes"] = attributes,
                ["messageAttributes"] = messageAttributes,
                ["md5OfMessageAttributes"] = message.Md5OfAttributes,
                ["md5OfBody"] = message.Md5OfBody,
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = queueArn,
                ["awsRegion"] = region,
            });
        }

        return System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = records }.ToJsonString());
    }
}
