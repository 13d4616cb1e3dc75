using System.IO.Compression;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Unmodified third-party runtime clients as provided runtimes (the documented shell bootstrap, AWS's aws-lambda-ric), and a hand-written streaming one.</summary>
// A node of its own: test.sh runs the aws-lambda-ric tests apart, after the client's compile, and the rest with the others.
[Trait("Category", "EndToEnd")]
public sealed class ProvidedRuntimeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    /// <summary>The bootstrap and handler of Lambda's custom-runtime tutorial, as published.</summary>
    private const string DocumentedBootstrap = """
        #!/bin/sh

        set -euo pipefail

        # Initialization - load function handler
        source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"

        # Processing
        while true
        do
          HEADERS="$(mktemp)"
          # Get an event. The HTTP request will block until one is received
          EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")

          # Extract request ID by scraping response headers received above
          REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)

          # Run the handler function from the script
          RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")

          # Send the response
          curl "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response"  -d "$RESPONSE"
        done
        """;

    private const string DocumentedHandler = """
        function handler () {
          EVENT_DATA=$1
          echo "$EVENT_DATA" 1>&2;
          RESPONSE="Echoing request: '$EVENT_DATA'"

          echo $RESPONSE
        }
        """;

    [Fact]
    public async Task ShellBootstrap_ServesColdAndWarmInvocations()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("bootstrap", DocumentedBootstrap + "\n"), ("function.sh", DocumentedHandler + "\n"));
        Assert.Equal(0, (await Create("shell-bootstrap", zip, "function.handler")).ExitCode);
        var cold = await Invoke("shell-bootstrap");
        var warm = await Invoke("shell-bootstrap");
        Assert.Equal("Echoing request: '{\"text\":\"Hello\"}'", cold.Body);
        Assert.Contains("Init Duration", cold.Tail);
        Assert.Equal("Echoing request: '{\"text\":\"Hello\"}'", warm.Body);
        Assert.DoesNotContain("Init Duration", warm.Tail);
    }

    /// <summary>
    /// A custom runtime streaming through the Runtime API by hand: a chunked POST in streaming mode, one chunk every
    /// 300 ms, ended by the error trailers when the event asks it to fail; on request it reports how the Runtime API
    /// answered a bad response mode, a second response while streaming, and a stream for an id not in flight.
    /// </summary>
    private const string StreamingBootstrap = """
        #!/usr/bin/python3
        import base64, http.client, json, os, socket, time
        api = os.environ["AWS_LAMBDA_RUNTIME_API"]
        host, port = api.split(":")
        while True:
            conn = http.client.HTTPConnection(host, int(port))
            conn.request("GET", "/2018-06-01/runtime/invocation/next")
            response = conn.getresponse()
            event = json.loads(response.read())
            request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
            conn.close()
            def post(path, headers, body=b"x"):
                c = http.client.HTTPConnection(host, int(port))
                c.request("POST", path, body=body, headers=headers)
                r = c.getresponse()
                return f"{r.status}:{json.loads(r.read())['errorType']}"
            checks = [post(f"/2018-06-01/runtime/invocation/{request_id}/response", {"Lambda-Runtime-Function-Response-Mode": "bogus"})]
            s = socket.create_connection((host, int(port)))
            s.sendall((f"POST /2018-06-01/runtime/invocation/{request_id}/response HTTP/1.1\r\nHost: {api}\r\n"
                       "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n"
                       "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n").encode())
            for i in range(3):
                data = f"line {i}\n".encode()
                s.sendall(b"%x\r\n%s\r\n" % (len(data), data))
                time.sleep(0.3)
                if i == 0:
                    # While the stream is open: a second response for the id, and a stream for an id not in flight.
                    checks.append(post(f"/2018-06-01/runtime/invocation/{request_id}/response", {}))
                    checks.append(post("/2018-06-01/runtime/invocation/not-this-one/response", {"Lambda-Runtime-Function-Response-Mode": "streaming"}))
            if event.get("checks"):
                data = " ".join(checks).encode()
                s.sendall(b"%x\r\n%s\r\n" % (len(data), data))
            if event.get("fail"):
                body = base64.b64encode(json.dumps({"errorType": "CustomError", "errorMessage": "failed after three lines"}).encode()).decode()
                s.sendall(f"0\r\nLambda-Runtime-Function-Error-Type: CustomError\r\nLambda-Runtime-Function-Error-Body: {body}\r\n\r\n".encode())
            else:
                s.sendall(b"0\r\n\r\n")
            assert b" 202 " in s.recv(4096)
            s.close()
        """;

    [Fact]
    public async Task CustomRuntime_StreamsThroughTheRuntimeApi_WithErrorTrailers()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("bootstrap", StreamingBootstrap + "\n"));
        Assert.Equal(0, (await Create("custom-streamer", zip, "unused.handler")).ExitCode);

        var ok = await StreamAsync("custom-streamer", "{}");
        var chunks = ok.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal(["line 0\n", "line 1\n", "line 2\n"], chunks.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal("text/plain", ok.GetProperty("contentType").GetString());
        Assert.False(ok.GetProperty("complete").TryGetProperty("ErrorCode", out _));

        var reported = await StreamAsync("custom-streamer", "{\"checks\":true}");
        Assert.Equal(
            "400:InvalidFunctionResponseMode 403:InvalidStateTransition 400:InvalidRequestID",
            reported.GetProperty("chunks").EnumerateArray().Last().GetProperty("text").GetString());

        var failed = await StreamAsync("custom-streamer", "{\"fail\":true}");
        Assert.Equal(3, failed.GetProperty("chunks").GetArrayLength());
        Assert.Equal("CustomError", failed.GetProperty("complete").GetProperty("ErrorCode").GetString());
        Assert.Equal("failed after three lines", failed.GetProperty("complete").GetProperty("ErrorDetails").GetString());
    }

    [Fact]
    public async Task AwsLambdaRic_ServesColdAndWarmInvocations()
    {
        var zip = await RicPackageAsync("ric.zip", "export const handler = async (event, context) => { console.log('ric says hi'); return { got: event, fn: context.functionName }; };\n");
        Assert.Equal(0, (await Create("aws-lambda-ric", zip, "index.handler")).ExitCode);
        var cold = await Invoke("aws-lambda-ric");
        var warm = await Invoke("aws-lambda-ric");
        Assert.Equal("{\"got\":{\"text\":\"Hello\"},\"fn\":\"aws-lambda-ric\"}", cold.Body);
        Assert.Contains("ric says hi", cold.Tail);
        Assert.Contains("Init Duration", cold.Tail);
        Assert.Equal(cold.Body, warm.Body);
        Assert.DoesNotContain("Init Duration", warm.Tail);
    }

    [Fact]
    public async Task AwsLambdaRic_StreamsAStreamifiedHandler()
    {
        const string handler = """
            export const handler = awslambda.streamifyResponse(async (event, stream) => {
              stream.setContentType('text/plain');
              stream.write('ric ');
              await new Promise((r) => setTimeout(r, 400));
              stream.write('streams');
              stream.end();
            });

            """;
        var zip = await RicPackageAsync("ric-stream.zip", handler);
        Assert.Equal(0, (await Create("aws-lambda-ric-stream", zip, "index.handler")).ExitCode);
        var streamed = await StreamAsync("aws-lambda-ric-stream", "{}");
        var chunks = streamed.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal("ric streams", string.Concat(chunks.Select(c => c.GetProperty("text").GetString())));
        Assert.Equal("text/plain", streamed.GetProperty("contentType").GetString());
    }

    /// <summary>AWS's Node.js runtime client from npm, unmodified, as a provided runtime's bootstrap, with the given handler.</summary>
    private async Task<string> RicPackageAsync(string name, string handler)
    {
        await Tools.WaitForRuntimeInterfaceClientAsync();
        var modules = Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "node_modules");
        var zip = Path.Combine(fixture.WorkDirectory, name);
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var package in new[] { "aws-lambda-ric", "@aws/lambda-invoke-store" })
        {
            var root = Path.Combine(modules, package);
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var entry = archive.CreateEntryFromFile(file, $"node_modules/{package}/{Path.GetRelativePath(root, file)}");
                entry.ExternalAttributes = (int)File.GetUnixFileMode(file) << 16;
            }
        }

        Add(archive, "bootstrap", "#!/bin/sh\ncd \"$LAMBDA_TASK_ROOT\"\nexec node node_modules/aws-lambda-ric/index.mjs \"$_HANDLER\"\n", 0b111_101_101);
        Add(archive, "index.mjs", handler, 0b110_100_100);
        return zip;
    }

    private async Task<JsonElement> StreamAsync(string name, string payload)
    {
        var run = await Tools.NodeScriptAsync(fixture.Node, "stream-check.mjs", name, payload);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        return JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]).RootElement;
    }

    /// <summary>
    /// A runtime that posts answers with and without this node's <c>Lambda-Cluster-Then-Next</c> (what its own runtime
    /// clients send, with the value 1): a response and an error with it, then a response with another value (as good as
    /// none: what every other runtime sends), reporting in each later answer what the Runtime API answered it.
    /// </summary>
    private const string ThenNextBootstrap = """
        #!/usr/bin/env python3
        import http.client, json, os
        api = http.client.HTTPConnection(os.environ["AWS_LAMBDA_RUNTIME_API"])
        P = "/2018-06-01/runtime/invocation/"
        THEN_NEXT = {"Lambda-Cluster-Then-Next": "1"}
        def call(method, path, body=None, headers={}):
            api.request(method, path, body, headers)
            r = api.getresponse()
            return r.status, r.getheader("Lambda-Runtime-Aws-Request-Id"), r.read().decode()
        def seen(answer, earlier):
            status, rid, event = answer
            return {"status": status, "event": json.loads(event), "newId": rid not in (None, earlier)}
        _, first, _ = call("GET", P + "next")
        answer = call("POST", P + first + "/response", b'"first"', THEN_NEXT)
        second = answer[1]
        after_response = seen(answer, first)
        answer = call("POST", P + second + "/error", b'{"errorType":"Oops","errorMessage":"second"}', {**THEN_NEXT, "Lambda-Runtime-Function-Error-Type": "Oops"})
        third = answer[1]
        report = {"afterResponse": after_response, "afterError": seen(answer, second)}
        status, _, body = call("POST", P + third + "/response", json.dumps(report).encode(), {"Lambda-Cluster-Then-Next": "0"})
        _, fourth, _ = call("GET", P + "next")
        call("POST", P + fourth + "/response", json.dumps({"status": status, "body": body}).encode(), THEN_NEXT)
        """;

    [Fact]
    public async Task AnswersPostedWithThenNext_AreAnsweredWithTheNextEvent_AndOneWithoutIt_WithLambdas202()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("bootstrap", ThenNextBootstrap + "\n"));
        Assert.Equal(0, (await Create("then-next", zip, "unused.handler")).ExitCode);

        Assert.Equal("\"first\"", (await Invoke("then-next", "{\"n\":1}")).Body);
        var failed = await Tools.AwsAsync(fixture.Node, "lambda", "invoke", "--function-name", "then-next", "--payload", "{\"n\":2}", Path.Combine(fixture.WorkDirectory, "then-next-2.json"));
        Assert.True(failed.ExitCode == 0, failed.Stderr);
        Assert.Equal("Unhandled", Tools.Json(failed.Stdout).GetProperty("FunctionError").GetString());
        Assert.Contains("\"errorType\":\"Oops\"", await File.ReadAllTextAsync(Path.Combine(fixture.WorkDirectory, "then-next-2.json")), StringComparison.Ordinal);

        var third = JsonDocument.Parse((await Invoke("then-next", "{\"n\":3}")).Body).RootElement;
        foreach (var (answer, n) in new[] { ("afterResponse", 2), ("afterError", 3) })
        {
            var seen = third.GetProperty(answer);
            Assert.Equal(200, seen.GetProperty("status").GetInt32()); // what GET /next answers: the event, under its own request id
            Assert.Equal(n, seen.GetProperty("event").GetProperty("n").GetInt32());
            Assert.True(seen.GetProperty("newId").GetBoolean());
        }

        var fourth = JsonDocument.Parse((await Invoke("then-next", "{\"n\":4}")).Body).RootElement;
        Assert.Equal(202, fourth.GetProperty("status").GetInt32());
        Assert.Equal("{\"status\":\"OK\"}\n", fourth.GetProperty("body").GetString());
    }

    private static void Add(ZipArchive archive, string name, string content, int mode)
    {
        var entry = archive.CreateEntry(name);
        entry.ExternalAttributes = mode << 16;
        using var writer = new StreamWriter(entry.Open());
        writer.Write(content);
    }

    private Task<ProcessResult> Create(string name, string zip, string handler) =>
        Tools.AwsAsync(fixture.Node, "lambda", "create-function", "--function-name", name, "--runtime", "provided.al2023", "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}");

    private async Task<(string Body, string Tail)> Invoke(string name, string payload = "{\"text\":\"Hello\"}")
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.json");
        var result = await Tools.AwsAsync(fixture.Node, "lambda", "invoke", "--function-name", name, "--payload", payload, "--log-type", "Tail", outFile);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var tail = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("LogResult").GetString()!));
        return (await File.ReadAllTextAsync(outFile), tail);
    }
}
