using System.Net;
using System.Text;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The file-processing use case of Lambda's overview against the built-in object API, with the real aws CLI: an upload
/// to a bucket whose notification configuration names a function runs it, and the function (boto3, from a layer) reads
/// the object and writes a result. The configuration needs S3's permission on the function first. Another object store's
/// webhook (MinIO's format) runs the same function with the right token; a wrong one is refused and runs nothing.
/// Presigned URLs (both kinds boto3 makes) read and write; a tampered one is refused.
/// </summary>
[Collection(IntegrationNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class S3Tests(IntegrationNodeFixture fixture)
{
    private const string Processor = """
        import boto3, urllib.parse

        s3 = boto3.client("s3")

        def handler(event, context):
            for record in event["Records"]:
                bucket = record["s3"]["bucket"]["name"]
                key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
                body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
                s3.put_object(Bucket=bucket, Key="results/" + key + ".upper", Body=body.upper())
                print(record["eventSource"], record["eventName"], key)
        """;

    [Fact]
    public async Task Upload_RunsTheFunction_ThatReadsTheObjectAndWritesAResult()
    {
        var node = fixture.Node;
        var layerZip = Path.Combine(fixture.WorkDirectory, "sdk-layer.zip");
        var built = await Tools.RunAsync(Tools.BotoPython, [Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "py", "sdk_layer.py"), layerZip]);
        Assert.True(built.ExitCode == 0, built.Stderr);
        var layer = Tools.Json(await Tools.AwsOkAsync(node, "lambda", "publish-layer-version", "--layer-name", "boto3", "--zip-file", $"fileb://{layerZip}"));
        var function = Tools.Json(await Tools.AwsOkAsync(node, "lambda", "create-function", "--function-name", IntegrationNodeFixture.WebhookFunction,
            "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role, "--timeout", "30",
            "--zip-file", $"fileb://{Tools.Zip(fixture.WorkDirectory, ("index.py", Processor))}",
            "--layers", layer.GetProperty("LayerVersionArn").GetString()!,
            "--environment", $"Variables={{AWS_ENDPOINT_URL_S3={node.Endpoint}}}"));
        var functionArn = function.GetProperty("FunctionArn").GetString()!;
        await Tools.AwsOkAsync(node, "s3", "mb", "s3://uploads");
        var notification = """{"LambdaFunctionConfigurations":[{"Id":"process","LambdaFunctionArn":"FUNCTION","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"incoming/"}]}}}]}"""
            .Replace("FUNCTION", functionArn, StringComparison.Ordinal);

        // S3 validates the destination: without the function's permission for s3.amazonaws.com the configuration is refused.
        var refused = await Tools.AwsAsync(node, "s3api", "put-bucket-notification-configuration", "--bucket", "uploads", "--notification-configuration", notification);
        Assert.Contains("InvalidArgument", refused.Stderr);
        Assert.Contains("Unable to validate the following destination configurations", refused.Stderr);
        await Tools.AwsOkAsync(node, "lambda", "add-permission", "--function-name", IntegrationNodeFixture.WebhookFunction, "--statement-id", "s3",
            "--action", "lambda:InvokeFunction", "--principal", "s3.amazonaws.com", "--source-arn", "arn:aws:s3:::uploads");
        await Tools.AwsOkAsync(node, "s3api", "put-bucket-notification-configuration", "--bucket", "uploads", "--notification-configuration", notification);
        var stored = Tools.Json(await Tools.AwsOkAsync(node, "s3api", "get-bucket-notification-configuration", "--bucket", "uploads"));
        Assert.Equal(functionArn, stored.GetProperty("LambdaFunctionConfigurations")[0].GetProperty("LambdaFunctionArn").GetString());

        // aws s3 cp into the bucket: the function runs and writes its result next to it.
        var file = Path.Combine(fixture.WorkDirectory, "report one.txt");
        await File.WriteAllTextAsync(file, "quarterly numbers\n");
        await Tools.AwsOkAsync(node, "s3", "cp", file, "s3://uploads/incoming/report one.txt");
        Assert.Equal("QUARTERLY NUMBERS\n", await ObjectAsync("uploads", "results/incoming/report one.txt.upper"));

        // A MinIO webhook: a wrong token is refused and queues nothing; the right one runs the function on its record.
        await Tools.AwsOkAsync(node, "s3", "cp", file, "s3://uploads/from-minio.txt"); // outside the prefix: no event of ours
        using var http = new HttpClient();
        var record = """{"EventName":"s3:ObjectCreated:Put","Key":"uploads/from-minio.txt","Records":[{"eventVersion":"2.0","eventSource":"minio:s3","awsRegion":"","eventTime":"2026-12-01T06:00:00.000Z","eventName":"s3:ObjectCreated:Put","userIdentity":{"principalId":"minioadmin"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},"responseElements":{},"s3":{"s3SchemaVersion":"1.0","configurationId":"Config","bucket":{"name":"uploads","ownerIdentity":{"principalId":"minioadmin"},"arn":"arn:aws:s3:::uploads"},"object":{"key":"from-minio.txt","size":18,"eTag":"0","sequencer":"17"}}}]}""";
        var wrong = await PostAsync(http, record, "not-the-token-at-all");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var malformed = await PostAsync(http, "{\"Records\": 5}", IntegrationNodeFixture.WebhookToken);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var accepted = await PostAsync(http, record, IntegrationNodeFixture.WebhookToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("QUARTERLY NUMBERS\n", await ObjectAsync("uploads", "results/from-minio.txt.upper"));

        // The function's log shows Lambda's event: aws:s3 and the event names without their s3: prefix.
        var logs = await Tools.AwsOkAsync(node, "logs", "filter-log-events", "--log-group-name", $"/aws/lambda/{IntegrationNodeFixture.WebhookFunction}", "--filter-pattern", "aws:s3");
        Assert.Contains("aws:s3 ObjectCreated:Put incoming/report one.txt", logs);
        Assert.Contains("aws:s3 ObjectCreated:Put from-minio.txt", logs);
        Assert.DoesNotContain("results/", logs);

        await PresignedUrlsAsync(http);
        await Tools.AwsOkAsync(node, "s3", "rb", "s3://uploads", "--force");
        await Tools.AwsOkAsync(node, "lambda", "delete-function", "--function-name", IntegrationNodeFixture.WebhookFunction);
    }

    [Fact]
    public async Task ObjectApi_AnswersAsS3Does_ForWholeAndHostileRequests()
    {
        var result = await Tools.BotoScriptAsync(fixture.Node, "s3_api_check.py");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var seen = Tools.Json(result.Stdout);
        var multipart = seen.GetProperty("multipart");
        Assert.Equal(6 * 1024 * 1024 + 123, multipart.GetProperty("size").GetInt32());
        Assert.EndsWith("-2\"", multipart.GetProperty("etag").GetString(), StringComparison.Ordinal); // S3's ETag of a two-part upload
        Assert.True(multipart.GetProperty("same").GetBoolean());
        Assert.True(seen.GetProperty("range").GetProperty("same").GetBoolean());
        Assert.Equal($"bytes 10-19/{6 * 1024 * 1024 + 123}", seen.GetProperty("range").GetProperty("contentRange").GetString());
        Assert.True(seen.GetProperty("suffixRange").GetBoolean());
        Assert.Equal("InvalidRange", seen.GetProperty("badRange").GetString());
        Assert.Equal(["big.bin", "c.txt", "d.txt"], seen.GetProperty("delimited").GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["a/"], seen.GetProperty("delimited").GetProperty("prefixes").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("[[\"a/1.txt\",\"a/2.txt\"],[\"a/b/3.txt\"]]", seen.GetProperty("pages").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        var copy = seen.GetProperty("copy");
        Assert.Equal("2", copy.GetProperty("metadata").GetProperty("stage").GetString());
        Assert.Equal("application/json", copy.GetProperty("contentType").GetString());
        Assert.Equal("c.txt", copy.GetProperty("body").GetString());
        Assert.Equal("just a key", seen.GetProperty("hostileKey").GetString());
        var errors = seen.GetProperty("errors");
        Assert.Equal("NoSuchKey", errors.GetProperty("noSuchKey").GetString());
        Assert.Equal("NoSuchBucket", errors.GetProperty("noSuchBucket").GetString());
        Assert.Equal("BucketNotEmpty", errors.GetProperty("notEmpty").GetString());
        Assert.Equal("BucketAlreadyOwnedByYou", errors.GetProperty("exists").GetString());
        Assert.Equal("InvalidBucketName", errors.GetProperty("badName").GetString());
        Assert.Equal("KeyTooLongError", errors.GetProperty("keyTooLong").GetString());
        Assert.Equal("NoSuchUpload", errors.GetProperty("noSuchUpload").GetString());
        Assert.Equal("NoSuchUpload", errors.GetProperty("forgedUploadId").GetString());
        Assert.Equal("InvalidPartOrder", errors.GetProperty("partOrder").GetString());
        Assert.Equal("InvalidPart", errors.GetProperty("wrongPart").GetString());
        Assert.Equal("NoSuchUpload", errors.GetProperty("aborted").GetString());
        Assert.Equal("404", seen.GetProperty("orderedExists").GetString()); // HEAD: the status alone, as S3 answers it
        Assert.Equal(8, seen.GetProperty("deleted").GetArrayLength());
        Assert.DoesNotContain("api-check", seen.GetProperty("buckets").EnumerateArray().Select(b => b.GetString()));
    }

    /// <summary>Presigned GET and PUT of both signature kinds, and a tampered URL, through plain HTTP.</summary>
    private async Task PresignedUrlsAsync(HttpClient http)
    {
        var urls = await Tools.BotoScriptAsync(fixture.Node, "presign.py", "uploads", "incoming/report one.txt", "presigned-put.txt");
        Assert.True(urls.ExitCode == 0, urls.Stderr);
        var lines = urls.Stdout.Trim().Split('\n');
        foreach (var (get, put) in new[] { (lines[0], lines[1]), (lines[2], lines[3]) })
        {
            Assert.Equal("quarterly numbers\n", await http.GetStringAsync(get));
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("sent through a presigned URL"));
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsync(put, content)).StatusCode);
            Assert.Equal("sent through a presigned URL", await ObjectAsync("uploads", "presigned-put.txt"));
            var tampered = await http.GetAsync(get.Replace("report%20one", "report%20two", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
            Assert.Contains("SignatureDoesNotMatch", await tampered.Content.ReadAsStringAsync());
        }
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient http, string body, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{fixture.Node.Endpoint}/s3-events/minio") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    /// <summary>An object's text, waited for (the function runs asynchronously) for up to 60 seconds.</summary>
    private async Task<string> ObjectAsync(string bucket, string key)
    {
        var target = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.out");
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(500))
        {
            var result = await Tools.BotoScriptAsync(fixture.Node, "get_object.py", bucket, key, target);
            if (result.ExitCode == 0)
            {
                return await File.ReadAllTextAsync(target);
            }

            Assert.True(DateTime.UtcNow < deadline, $"s3://{bucket}/{key} did not appear: {result.Stderr}\n{fixture.Node.Output[^Math.Min(3000, fixture.Node.Output.Length)..]}");
        }
    }
}
