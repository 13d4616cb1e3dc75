using System.Globalization;
using System.Text.Json;
using LambdaCluster.Tests.Support;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Response streaming end to end: InvokeWithResponseStream read by the JavaScript SDK chunk by chunk, RESPONSE_STREAM
/// function URLs read by curl, streams beyond the 6 MB buffered limit, mid-stream errors, and a caller hanging up.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class StreamingTests(NodeFixture fixture)
{
    /// <summary>
    /// One streaming handler for every case; it logs a line per tick so a test can see whether it still runs. With a
    /// gate (a file path under its private /tmp) it writes its first chunk and then waits for the caller to create that file
    /// in its sandbox, which the caller does when the first chunk reaches it: a buffered response would never finish.
    /// </summary>
    private const string Streamer = """
        import fs from 'node:fs';
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        const gate = async (path) => {
          for (let i = 0; i < 500 && !fs.existsSync(path); i++) await sleep(20);
          if (!fs.existsSync(path)) throw new Error('the first chunk never reached the caller');
        };
        export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
          const path = event.rawPath;
          const bigMb = Number(event.bigMb ?? event.queryStringParameters?.bigMb ?? 0);
          if (bigMb) {
            const block = Buffer.alloc(1024 * 1024, 'x');
            for (let i = 0; i < bigMb; i++) {
              if (!responseStream.write(block)) await new Promise((r) => responseStream.once('drain', r));
            }
            responseStream.end();
            return;
          }
          if (path === '/page') {
            const page = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'content-type': 'text/html', 'x-streamed': 'yes' }, cookies: ['session=abc; Path=/'] });
            page.write('<p>first</p>\n');
            await gate(event.queryStringParameters.gate);
            page.write('<p>second</p>\n');
            page.end();
            return;
          }
          if (path === '/fail') {
            responseStream.write('partial\n');
            await sleep(50);
            throw new Error('broke after a line');
          }
          if (path === '/forever') {
            for (let i = 0; ; i++) {
              console.log(`tick ${i}`);
              responseStream.write(`tick ${i}\n`);
              await sleep(100);
            }
          }
          responseStream.setContentType('text/plain');
          for (let i = 0; i < (event.n ?? 3); i++) {
            responseStream.write(`chunk ${i}\n`);
            if (i === 0 && event.gate) await gate(event.gate);
            await sleep(event.delay ?? 100);
          }
          if (event.fail) throw new Error('boom mid-stream');
          responseStream.end();
        });
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task InvokeWithResponseStream_DeliversChunksAsTheFunctionWritesThem_ToTheJavaScriptSdk()
    {
        await CreateAsync("streamer-sdk");
        var run = await Tools.NodeScriptAsync(Node, "stream-check.mjs", "streamer-sdk");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var result = Tools.Json(run.Stdout.Trim().Split('\n')[^1]);

        // The function waited, after its first chunk, for the script to receive that chunk: it was streamed.
        var slow = result.GetProperty("slow");
        Assert.Equal(200, slow.GetProperty("status").GetInt32());
        Assert.Equal("$LATEST", slow.GetProperty("version").GetString());
        Assert.Equal("text/plain", slow.GetProperty("contentType").GetString());
        var chunks = slow.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal(["chunk 0\n", "chunk 1\n", "chunk 2\n"], chunks.Select(c => c.GetProperty("text").GetString()));
        Assert.False(slow.GetProperty("complete").TryGetProperty("ErrorCode", out _));
        Assert.Contains("REPORT RequestId:", slow.GetProperty("complete").GetProperty("LogResult").GetString());

        // A failure after two chunks: the chunks, then InvokeComplete with the function's error. Written 10 ms apart, the
        // two may reach the caller as one PayloadChunk on a busy machine: their bytes are what must arrive.
        var failing = result.GetProperty("failing");
        Assert.Equal("chunk 0\nchunk 1\n", string.Concat(failing.GetProperty("chunks").EnumerateArray().Select(c => c.GetProperty("text").GetString())));
        Assert.Equal("Error", failing.GetProperty("complete").GetProperty("ErrorCode").GetString());
        Assert.Equal("boom mid-stream", failing.GetProperty("complete").GetProperty("ErrorDetails").GetString());

        // 10 MB streams through, beyond the 6 MB limit of a buffered response.
        Assert.Equal(10 * 1024 * 1024, result.GetProperty("big").GetProperty("bytes").GetInt64());
        Assert.False(result.GetProperty("big").GetProperty("complete").TryGetProperty("ErrorCode", out _));

        // The same function through buffered Invoke: the whole stream as one payload.
        Assert.Equal("chunk 0\nchunk 1\nchunk 2\n", result.GetProperty("buffered").GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("buffered").GetProperty("error").ValueKind);
        Assert.Equal(204, result.GetProperty("dryRun").GetInt32());
        Assert.Equal("ValidationException:400", result.GetProperty("event").GetString());
    }

    [Fact]
    public async Task BufferedInvokeOfAStreamBeyondSixMegabytes_IsResponseSizeTooLarge()
    {
        await CreateAsync("streamer-too-big");
        var outFile = Path.Combine(fixture.WorkDirectory, "too-big.json");
        var result = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", "streamer-too-big", "--payload", "{\"bigMb\":7}", outFile));
        Assert.Equal("Unhandled", result.GetProperty("FunctionError").GetString());
        Assert.Contains("Function.ResponseSizeTooLarge", await File.ReadAllTextAsync(outFile));
    }

    [Fact]
    public async Task ResponseStreamUrl_SendsTheHeadAndFirstChunk_BeforeTheFunctionFinishes()
    {
        var url = await CreateUrlAsync("streamer-url");

        // The function writes its first part, then waits for this test to have read it.
        var gate = $"gate-{Guid.NewGuid():N}";
        var timed = await CurlUntilAsync("<p>first</p>", () => Assert.True(SandboxFiles.Touch("streamer-url", gate) > 0), "-i", $"{url}page?gate={Uri.EscapeDataString("/tmp/" + gate)}");
        Assert.StartsWith("HTTP/1.1 201", timed, StringComparison.Ordinal);
        Assert.Contains("content-type: text/html", timed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-streamed: yes", timed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Set-Cookie: session=abc; Path=/", timed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>first</p>\n<p>second</p>\n", timed, StringComparison.Ordinal);

        // 20 MB through the URL, byte for byte.
        var big = Path.Combine(fixture.WorkDirectory, "big.out");
        await CurlAsync("-o", big, $"{url}?bigMb=20");
        Assert.Equal(20L * 1024 * 1024, new FileInfo(big).Length);

        // A failure after the head went out cuts the connection: curl sees a broken transfer (exit 18 or 56), not a whole answer.
        var failed = await Tools.RunAsync("curl", ["-s", "--max-time", "30", $"{url}fail"]);
        Assert.Contains(failed.ExitCode, new[] { 18, 56 });
        Assert.Equal("partial\n", failed.Stdout);
    }

    [Fact]
    public async Task CallerHangingUp_StopsTheFunction_AndTheNextCallIsServed()
    {
        var url = await CreateUrlAsync("streamer-hangup");
        // Hang up as soon as the first tick arrived, however long the cold start took (a fixed curl timeout flaked on a busy CI).
        var cut = await CurlUntilHangUpAsync("tick 0\n", $"{url}forever");
        Assert.StartsWith("tick 0\n", cut, StringComparison.Ordinal);

        // The invocation ends (its REPORT line) because the caller went away, not at its 30 s timeout, and its process
        // is stopped before REPORT is written: no tick the function logged comes after it.
        var report = await Cluster.Waits.UntilAsync("the abandoned invocation's REPORT line",
            () => EventsAsync("streamer-hangup", "REPORT"), events => events.Count > 0, TimeSpan.FromSeconds(20));
        var ticks = await EventsAsync("streamer-hangup", "tick");
        Assert.InRange(ticks.Count, 1, 100);
        Assert.All(ticks, tick => Assert.True(tick <= report[0], $"a tick at {tick} after the REPORT at {report[0]}"));
        Assert.DoesNotContain("Status: timeout", await Tools.AwsOkAsync(Node, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/streamer-hangup", "--filter-pattern", "REPORT"));

        Assert.Equal("chunk 0\nchunk 1\nchunk 2\n", await CurlAsync($"{url}plain"));
    }

    /// <summary>The timestamps of a function's log events that match a term.</summary>
    private async Task<List<long>> EventsAsync(string function, string term)
    {
        var events = await Tools.LogEventsAsync(Node, $"/aws/lambda/{function}", term);
        return [.. events.EnumerateArray().Select(e => e.GetProperty("timestamp").GetInt64())];
    }

    private async Task CreateAsync(string name)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.mjs", Streamer));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "nodejs22.x", "--handler", "index.handler", "--role", Functions.Role, "--timeout", "30", "--memory-size", "256", "--zip-file", $"fileb://{zip}");
    }

    /// <summary>A RESPONSE_STREAM URL for a new streaming function, in its path-based form.</summary>
    private async Task<string> CreateUrlAsync(string name)
    {
        await CreateAsync(name);
        await FunctionUrlTests.AllowPublicAsync(Node, name); // the policy first: the URL is public from its creation
        var created = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-function-url-config", "--function-name", name, "--auth-type", "NONE", "--invoke-mode", "RESPONSE_STREAM"));
        Assert.Equal("RESPONSE_STREAM", created.GetProperty("InvokeMode").GetString());
        return $"{Node.Endpoint}/_lambda/url/{new Uri(created.GetProperty("FunctionUrl").GetString()!).Host.Split('.')[0]}/";
    }

    /// <summary>Runs curl, calling <paramref name="onSeen"/> as soon as its output contains <paramref name="marker"/>; its whole output.</summary>
    private static async Task<string> CurlUntilAsync(string marker, Action onSeen, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("curl") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-s", "-N", "--max-time", "30", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var curl = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var buffer = new char[4096];
        var seen = false;
        int read;
        while ((read = await curl.StandardOutput.ReadAsync(buffer)) > 0)
        {
            output.Append(buffer, 0, read);
            if (!seen && output.ToString().Contains(marker, StringComparison.Ordinal))
            {
                seen = true;
                onSeen();
            }
        }

        await curl.WaitForExitAsync();
        Assert.True(curl.ExitCode == 0, $"curl exited with {curl.ExitCode}: {output}");
        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>Runs curl until its output contains <paramref name="marker"/>, then kills it mid-stream (the caller hanging up); what it had read.</summary>
    private static async Task<string> CurlUntilHangUpAsync(string marker, string url)
    {
        var start = new System.Diagnostics.ProcessStartInfo("curl") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-s", "-N", "--max-time", "30", url])
        {
            start.ArgumentList.Add(argument);
        }

        using var curl = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int read;
        while (!output.ToString().Contains(marker, StringComparison.Ordinal) && (read = await curl.StandardOutput.ReadAsync(buffer)) > 0)
        {
            output.Append(buffer, 0, read);
        }

        Assert.False(curl.HasExited, $"curl ended before it was hung up (exit {(curl.HasExited ? curl.ExitCode : 0)}): {output}");
        curl.Kill();
        await curl.WaitForExitAsync();
        return output.ToString();
    }

    private static async Task<string> CurlAsync(params string[] arguments)
    {
        var result = await Tools.RunAsync("curl", ["-s", "--max-time", "30", .. arguments]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
