using System.Text.Json.Nodes;
using LambdaCluster.Grains.Queues;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Queues;

/// <summary>
/// SQS errors on the wire (JSON 1.0 with query compatibility): status 400, <c>__type</c> the model's shape name, and
/// <c>x-amzn-query-error</c> carrying the legacy query code, which botocore reports as the error code.
/// </summary>
public static class SqsErrors
{
    public static string QueryCode(QueueErrorType type) => type switch
    {
        QueueErrorType.QueueDoesNotExist => "AWS.SimpleQueueService.NonExistentQueue",
        QueueErrorType.QueueNameExists => "QueueAlreadyExists",
        QueueErrorType.MessageNotInflight => "AWS.SimpleQueueService.MessageNotInflight",
        QueueErrorType.TooManyEntriesInBatchRequest => "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        QueueErrorType.EmptyBatchRequest => "AWS.SimpleQueueService.EmptyBatchRequest",
        QueueErrorType.BatchEntryIdsNotDistinct => "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        QueueErrorType.BatchRequestTooLong => "AWS.SimpleQueueService.BatchRequestTooLong",
        QueueErrorType.InvalidBatchEntryId => "AWS.SimpleQueueService.InvalidBatchEntryId",
        QueueErrorType.UnsupportedOperation => "AWS.SimpleQueueService.UnsupportedOperation",
        _ => type.ToString(),
    };

    public static Task WriteAsync(HttpContext http, QueueErrorType type, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "application/x-amz-json-1.0";
        http.Response.Headers["x-amzn-query-error"] = $"{QueryCode(type)};Sender";
        return http.Response.WriteAsync(new JsonObject { ["__type"] = $"com.amazonaws.sqs#{type}", ["message"] = message }.ToJsonString());
    }
}
