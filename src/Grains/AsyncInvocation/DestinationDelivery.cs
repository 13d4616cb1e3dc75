using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>Sends an invocation record to a destination: an SQS queue of this cluster (as the message body) or a Lambda function (as an asynchronous event).</summary>
public sealed class DestinationDelivery(IGrainFactory grains, AsyncInvocations invocations, IOptions<NodeOptions> node, TimeProvider time)
{
    public async Task DeliverAsync(string destinationArn, string record)
    {
        var region = node.Value.Region;
        var account = node.Value.AccountId;
        if (QueueNames.FromArn(destinationArn, region, account) is { } queue)
        {
            await grains.GetGrain<IQueueGrain>(queue).SendAsync([new OutgoingMessage { Body = record }]);
            return;
        }

        if (FunctionArns.TryParseFunction(destinationArn, region, account, out var function, out var qualifier))
        {
            var version = await FunctionVersions.ResolveAsync(grains, region, account, function, qualifier);
            var request = new InvocationRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Payload = System.Text.Encoding.UTF8.GetBytes(record),
                InvokedFunctionArn = destinationArn,
                TraceId = TraceIds.New(time.GetUtcNow()),
            };
            await invocations.EnqueueAsync(function, version, qualifier, request);
        }
    }
}
