namespace LambdaCluster.Grains.Queues;

/// <summary>An expected queue failure with its SQS error type and message, as the client will see it.</summary>
[GenerateSerializer, Alias("lambda.queue-service-exception")]
public sealed class QueueServiceException(QueueErrorType errorType, string message) : Exception(message)
{
    [Id(0)] public QueueErrorType ErrorType { get; } = errorType;

    public static QueueServiceException NotFound() => new(QueueErrorType.QueueDoesNotExist, "The specified queue does not exist.");
}
