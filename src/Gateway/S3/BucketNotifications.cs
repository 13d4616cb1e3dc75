using System.Xml.Linq;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Permissions;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.S3;

/// <summary>
/// S3 event notifications to Lambda (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html):
/// a bucket's NotificationConfiguration lists LambdaFunctionConfigurations (<c>CloudFunctionConfiguration</c> in the XML),
/// each a function, the events (s3:ObjectCreated:*, :Put, :Copy, :CompleteMultipartUpload, s3:ObjectRemoved:*, :Delete)
/// and prefix/suffix filters. A configuration is accepted only when its function exists and its resource policy lets
/// <c>s3.amazonaws.com</c> invoke it (AddPermission, the bucket's ARN as SourceArn when one is given), as S3 checks. A
/// matching change runs the function asynchronously through the durable async path (retries, destinations).
/// </summary>
public sealed partial class BucketNotifications(ObjectStore store, IGrainFactory grains, AsyncInvocations events, AliasRoutes aliases, IOptions<NodeOptions> node, TimeProvider time, ILogger<BucketNotifications> logger)
{
    /// <summary>
    /// Parses and checks a PutBucketNotificationConfiguration body; returns it as stored (each configuration with an Id).
    /// Throws <see cref="S3Exception"/>: MalformedXML, or InvalidArgument for an unsupported destination or event, a bad
    /// filter, or a function S3 could not validate.
    /// </summary>
    public async Task<XElement> ParseAsync(string bucket, byte[] body)
    {
        var root = S3Xml.Parse(body);
        if (root.Name.LocalName != "NotificationConfiguration")
        {
            throw S3Exception.MalformedXml();
        }

        var stored = new XElement(XNamespace.Get(S3Xml.Namespace) + "NotificationConfiguration");
        foreach (var element in root.Elements())
        {
            if (element.Name.LocalName != "CloudFunctionConfiguration")
            {
                throw S3Exception.InvalidArgument($"{element.Name.LocalName} is not supported by this cluster: notifications go to Lambda functions (LambdaFunctionConfigurations).");
            }

            var configuration = LambdaFunctionConfiguration.Parse(element);
            await ValidateAsync(bucket, configuration.FunctionArn);
            stored.Add(configuration.ToXml());
        }

        return stored;
    }

    /// <summary>Runs the functions whose configurations match <paramref name="eventName"/> (ObjectCreated:Put ...) on <paramref name="stored"/>'s key.</summary>
    public async Task PublishAsync(string bucket, StoredObject stored, string eventName, HttpContext http)
    {
        if (store.GetNotification(bucket) is not { } xml)
        {
            return;
        }

        foreach (var configuration in XElement.Parse(xml).Elements().Select(LambdaFunctionConfiguration.Parse).Where(c => c.Matches($"s3:{eventName}", stored.Key)))
        {
            if (!await AllowsS3Async(configuration.FunctionArn, $"arn:aws:s3:::{bucket}"))
            {
                LogNotAllowed(logger, configuration.FunctionArn, bucket); // its permission was removed since: S3 fails the delivery too
                continue;
            }

            var payload = S3EventRecords.For(node.Value.Region, bucket, stored, eventName, configuration.Id, http.TraceIdentifier,
                http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1", time.GetUtcNow());
            // The writer's trace header goes on (a function's SDK sends its own): Lambda's loop detection then stops a
            // function that keeps writing into the prefix that triggers it.
            await InvokeAsync(configuration.FunctionArn, payload, http.Request.Headers["X-Amzn-Trace-Id"].FirstOrDefault());
        }
    }

    /// <summary>Queues one asynchronous invocation of <paramref name="functionArn"/> (journaled before this returns).</summary>
    public async Task InvokeAsync(string functionArn, byte[] payload, string? traceHeader = null)
    {
        if (!FunctionArns.TryParseFunction(functionArn, node.Value.Region, node.Value.AccountId, out var name, out var qualifier))
        {
            return;
        }

        try
        {
            var version = await aliases.VersionAsync(name, qualifier);
            await events.EnqueueAsync(name, version, qualifier, new InvocationRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Payload = payload,
                InvokedFunctionArn = functionArn,
                TraceId = TraceIds.For(traceHeader, null, time.GetUtcNow()),
            });
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ResourceNotFoundException)
        {
            LogFunctionGone(logger, functionArn); // deleted after the configuration was put: S3 drops the event too
        }
    }

    /// <summary>Whether the function's policy lets S3 invoke it for <paramref name="sourceArn"/> (a bucket ARN, or null when not known).</summary>
    public async Task<bool> AllowsS3Async(string functionArn, string? sourceArn)
    {
        if (!FunctionArns.TryParseFunction(functionArn, node.Value.Region, node.Value.AccountId, out var name, out var qualifier))
        {
            return false;
        }

        var grain = grains.GetGrain<IFunctionGrain>(name);
        if (await grain.GetAsync() is null)
        {
            return false;
        }

        ResourcePolicy policy;
        try
        {
            policy = await grain.GetPolicyAsync(qualifier);
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ResourceNotFoundException)
        {
            return false; // no policy yet
        }

        return policy.Statements.Any(s => s.Principal is "s3.amazonaws.com" or "*"
            && s.Action is "lambda:InvokeFunction" or "lambda:*" or "*"
            && (s.SourceArn is null || s.SourceArn == sourceArn)
            && (s.SourceAccount is null || s.SourceAccount == node.Value.AccountId));
    }

    private async Task ValidateAsync(string bucket, string functionArn)
    {
        if (!await AllowsS3Async(functionArn, $"arn:aws:s3:::{bucket}"))
        {
            throw S3Exception.InvalidArgument($"Unable to validate the following destination configurations: {functionArn} (the function must exist and allow s3.amazonaws.com to invoke it: aws lambda add-permission --principal s3.amazonaws.com --source-arn arn:aws:s3:::{bucket})");
        }
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "S3 event for {FunctionArn} dropped: it no longer allows s3.amazonaws.com to invoke it for bucket {Bucket}")]
    private static partial void LogNotAllowed(ILogger logger, string functionArn, string bucket);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "S3 event for {FunctionArn} dropped: the function no longer exists")]
    private static partial void LogFunctionGone(ILogger logger, string functionArn);
}
