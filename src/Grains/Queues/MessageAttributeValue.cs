namespace LambdaCluster.Grains.Queues;

/// <summary>One message attribute as SQS has it: a data type (String, Number, Binary, optionally with a custom suffix) and its value.</summary>
[GenerateSerializer, Immutable, Alias("lambda.queue-message-attribute")]
public sealed record MessageAttributeValue(
    [property: Id(0)] string DataType,
    [property: Id(1)] string? StringValue,
    [property: Id(2)] byte[]? BinaryValue);
