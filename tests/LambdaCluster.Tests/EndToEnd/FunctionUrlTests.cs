using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Function URLs configured with the aws CLI and called with curl: HTML, JSON, a binary image, cookies, CORS, AWS_IAM.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class FunctionUrlTests(NodeFixture fixture)
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private const string Web = """
        import base64, json
        def handler(event, context):
            path = event["rawPath"]
            if path == "/page.html":
                return {"statusCode": 200, "headers": {"content-type": "text/html"}, "body": "<h1>hello</h1>", "cookies": ["session=abc; Path=/", "theme=dark"]}
            if path == "/pixel.png":
                return {"statusCode": 200, "headers": {"content-type": "image/png"}, "body": "PNG_BASE64", "isBase64Encoded": True}
            if path == "/echo":
                return {"statusCode": "201", "body": json.dumps({"method": event["requestContext"]["http"]["method"], "query": event.get("queryStringParameters"), "cookies": event.get("cookies"), "body": event.get("body"), "version": event["version"]})}
            if path == "/fail":
                raise Exception("boom")
            return {"hello": "world"}
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task NoneUrl_ServesHtmlJsonBinaryAndCookies_ToCurl()
    {
        var url = await CreateAsync("web-none", "NONE", "AllowOrigins=https://example.com,AllowMethods=GET,MaxAge=60");
        var pathForm = PathForm(url);

        // As in Lambda, a NONE URL serves no one until the function's policy lets anyone invoke it through the URL.
        var refused = await CurlAsync("-i", $"{pathForm}page.html");
        Assert.StartsWith("HTTP/1.1 403", refused, StringComparison.Ordinal);
        Assert.EndsWith("""{"Message":"Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}""", refused, StringComparison.Ordinal);
        await AllowPublicAsync("web-none");
        await Cluster.Waits.UntilAsync("the policy to reach the gateway", () => CurlAsync(url), body => body == "{\"hello\":\"world\"}", TimeSpan.FromSeconds(10));

        var html = await CurlAsync("-i", $"{pathForm}page.html");
        Assert.StartsWith("HTTP/1.1 200", html, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Set-Cookie: session=abc; Path=/", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Set-Cookie: theme=dark", html, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("<h1>hello</h1>", html, StringComparison.Ordinal);

        var json = await CurlAsync(url); // the host-based URL as Lambda names it (*.localhost resolves to loopback)
        Assert.Equal("{\"hello\":\"world\"}", json);

        var image = Path.Combine(fixture.WorkDirectory, "pixel.png");
        await CurlAsync("-o", image, $"{pathForm}pixel.png");
        Assert.Equal(Convert.FromBase64String(Png), await File.ReadAllBytesAsync(image));

        var echo = await CurlAsync("-i", "-H", "Cookie: a=1; b=2", "-H", "Content-Type: application/json", "--data", "{\"k\":1}", $"{pathForm}echo?x=1&x=2");
        Assert.StartsWith("HTTP/1.1 201", echo, StringComparison.Ordinal);
        var seen = JsonDocument.Parse(echo[echo.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.Equal("POST", seen.GetProperty("method").GetString());
        Assert.Equal("1,2", seen.GetProperty("query").GetProperty("x").GetString());
        Assert.Equal(["a=1", "b=2"], seen.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("{\"k\":1}", seen.GetProperty("body").GetString());
        Assert.Equal("2.0", seen.GetProperty("version").GetString());

        var cors = await CurlAsync("-i", "-X", "OPTIONS", "-H", "Origin: https://example.com", "-H", "Access-Control-Request-Method: GET", $"{pathForm}page.html");
        Assert.Contains("Access-Control-Allow-Origin: https://example.com", cors, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Access-Control-Max-Age: 60", cors, StringComparison.OrdinalIgnoreCase);

        Assert.StartsWith("HTTP/1.1 502", await CurlAsync("-i", $"{pathForm}fail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IamUrl_RefusesUnsignedCalls_AndServesSignedOnes()
    {
        var url = await CreateAsync("web-iam", "AWS_IAM", null);
        var path = new Uri(PathForm(url)).AbsolutePath;

        Assert.StartsWith("HTTP/1.1 403", await CurlAsync("-i", PathForm(url)), StringComparison.Ordinal);
        using var http = new HttpClient();
        using var signed = Tools.Signed(Node.Endpoint, HttpMethod.Get, path, []);
        using var response = await http.SendAsync(signed);
        Assert.Equal("{\"hello\":\"world\"}", await response.Content.ReadAsStringAsync());

        Assert.Equal("AWS_IAM", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-url-config", "--function-name", "web-iam")).GetProperty("AuthType").GetString());
        Assert.Single(Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-function-url-configs", "--function-name", "web-iam")).GetProperty("FunctionUrlConfigs").EnumerateArray());
        Assert.Contains("ResourceConflictException", (await Tools.AwsAsync(Node, "lambda", "create-function-url-config", "--function-name", "web-iam", "--auth-type", "NONE")).Stderr);
        await Tools.AwsOkAsync(Node, "lambda", "update-function-url-config", "--function-name", "web-iam", "--auth-type", "NONE");
        await AllowPublicAsync("web-iam");
        // Gateways cache a URL's settings for a second: the URL opens up within that.
        await Cluster.Waits.UntilAsync("the NONE auth type to reach the gateway", () => CurlAsync(PathForm(url)), body => body == "{\"hello\":\"world\"}", TimeSpan.FromSeconds(10));
        await Tools.AwsOkAsync(Node, "lambda", "delete-function-url-config", "--function-name", "web-iam");
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(Node, "lambda", "get-function-url-config", "--function-name", "web-iam")).Stderr);
    }

    private async Task<string> CreateAsync(string name, string authType, string? cors)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("app.py", Web.Replace("PNG_BASE64", Png, StringComparison.Ordinal)));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "app.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        string[] arguments = ["lambda", "create-function-url-config", "--function-name", name, "--auth-type", authType, .. cors is null ? Array.Empty<string>() : ["--cors", cors]];
        var created = Tools.Json(await Tools.AwsOkAsync(Node, arguments));
        return created.GetProperty("FunctionUrl").GetString()!;
    }

    /// <summary>The permission Lambda's console adds for a NONE URL: lambda:InvokeFunctionUrl for everyone, through NONE URLs.</summary>
    internal static Task AllowPublicAsync(NodeProcess node, string function) =>
        Tools.AwsOkAsync(node, "lambda", "add-permission", "--function-name", function, "--statement-id", "FunctionURLAllowPublicAccess",
            "--action", "lambda:InvokeFunctionUrl", "--principal", "*", "--function-url-auth-type", "NONE");

    private Task AllowPublicAsync(string function) => AllowPublicAsync(Node, function);

    /// <summary>The path-based form of a URL, which needs no DNS: {gateway}/_lambda/url/{url-id}/.</summary>
    private string PathForm(string url) => $"{Node.Endpoint}/_lambda/url/{new Uri(url).Host.Split('.')[0]}/";

    private static async Task<string> CurlAsync(params string[] arguments)
    {
        var result = await Tools.RunAsync("curl", ["-s", "--max-time", "30", .. arguments]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
