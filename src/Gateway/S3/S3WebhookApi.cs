using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.RuntimeApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.S3;

/// <summary>
/// <c>POST /s3-events/{id}</c>: S3-format event notifications from users' object stores (MinIO's webhook target, Ceph
/// RGW's HTTP push endpoint), each endpoint configured with its function and token (<see cref="S3WebhookOptions"/>). The
/// token comes as <c>Authorization: Bearer {token}</c> (what MinIO sends for its auth_token) or <c>?token=</c>; a wrong
/// one is 403 and queues nothing. Each record becomes Lambda's <c>aws:s3</c> event (<see cref="S3EventRecords.Normalized"/>)
/// and one asynchronous invocation, once the function's policy lets s3.amazonaws.com invoke it for that bucket.
/// Answers 202 with how many events were queued. Not signed with SigV4: the token is the authentication.
/// </summary>
public sealed class S3WebhookApi(IOptions<S3Options> options, BucketNotifications notifications, IOptions<NodeOptions> node)
{
    /// <summary>The path prefix the SigV4 check leaves to this endpoint.</summary>
    public const string PathPrefix = "/s3-events";

    /// <summary>Largest notification body taken (a MinIO batch is a few KB per record).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task HandleAsync(HttpContext http, string id)
    {
        // Flow: the endpoint and its token → the body's records, each normalized → the function's permission for each
        // record's bucket → one queued invocation per record. Any refusal comes before anything is queued.
        var webhook = options.Value.Webhooks.Find(w => w.Id == id);
        if (webhook is null)
        {
            await Error(http, StatusCodes.Status404NotFound, "NotFound", "No such notification endpoint.");
            return;
        }

        var presented = http.Request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header[7..] : http.Request.Query["token"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(webhook.Token)))
        {
            await Error(http, StatusCodes.Status403Forbidden, "AccessDenied", "The notification token is not this endpoint's.");
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (body.TooLarge)
        {
            await Error(http, StatusCodes.Status413PayloadTooLarge, "EntityTooLarge", $"A notification must be smaller than {MaxBodyBytes} bytes.");
            return;
        }

        List<(string Bucket, byte[] Event)> records;
        try
        {
            var document = JsonNode.Parse(body.Bytes) as JsonObject;
            records = [.. (document?["Records"] as JsonArray ?? throw new FormatException("the body has no Records array"))
                .Select(r => r as JsonObject ?? throw new FormatException("a record is not an object"))
                .Select(r => (r["s3"]?["bucket"]?["name"]?.GetValue<string>() ?? "", S3EventRecords.Normalized(r, node.Value.Region)))];
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            await Error(http, StatusCodes.Status400BadRequest, "MalformedNotification", $"The notification is not S3's event format: {e.Message}.");
            return;
        }

        var target = FunctionReference.Parse(webhook.FunctionName, node.Value.Region, node.Value.AccountId);
        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name);
        arn = target.Qualifier is null ? arn : FunctionArns.Qualified(arn, target.Qualifier);
        foreach (var bucket in records.Select(r => r.Bucket).Distinct(StringComparer.Ordinal))
        {
            if (!await notifications.AllowsS3Async(arn, $"arn:aws:s3:::{bucket}"))
            {
                await Error(http, StatusCodes.Status403Forbidden, "AccessDenied", $"{arn} does not allow s3.amazonaws.com to invoke it for arn:aws:s3:::{bucket} (aws lambda add-permission).");
                return;
            }
        }

        foreach (var (_, @event) in records)
        {
            await notifications.InvokeAsync(arn, @event);
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync($"{{\"Queued\":{records.Count}}}");
    }

    private static async Task Error(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString()));
    }
}
