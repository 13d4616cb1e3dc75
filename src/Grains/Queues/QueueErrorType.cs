namespace LambdaCluster.Grains.Queues;

/// <summary>The SQS errors this queue service answers with (shape names of the SQS model; the API maps each to its query code).</summary>
public enum QueueErrorType
{
    QueueDoesNotExist,
    QueueNameExists,
    InvalidAttributeName,
    InvalidAttributeValue,
    InvalidParameterValue,
    MissingParameter,
    InvalidMessageContents,
    ReceiptHandleIsInvalid,
    MessageNotInflight,
    TooManyEntriesInBatchRequest,
    EmptyBatchRequest,
    BatchEntryIdsNotDistinct,
    BatchRequestTooLong,
    InvalidBatchEntryId,
    UnsupportedOperation,
    OverLimit,
}
