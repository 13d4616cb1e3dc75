using System.Text;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The Extensions API (2020-01-01) through the aws CLI: external extensions shipped in layers at /opt/extensions,
/// written as Lambda's own samples write them (bash and curl), and an internal one registered from inside a function.
/// </summary>
/// <remarks>On the integration node: the shared node's collection is the suite's longest path.</remarks>
[Collection(IntegrationNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ExtensionsTests(IntegrationNodeFixture fixture)
{
    /// <summary>An external extension as AWS's bash sample writes one: register for INVOKE and SHUTDOWN, then print each event until SHUTDOWN.</summary>
    private const string EventsExtension =
        """
        #!/bin/bash
        name=$(basename "$0")
        api="http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension"
        headers=$(mktemp)
        echo "[$name] sees _HANDLER=${_HANDLER:-unset} AWS_LAMBDA_FUNCTION_NAME=$AWS_LAMBDA_FUNCTION_NAME"
        echo "[$name] registering in a moment"
        sleep 1 # the runtime waits for the registration: it cannot print before this line
        curl -sS -D "$headers" -o /tmp/registered -X POST "$api/register" -H "Lambda-Extension-Name: $name" -d '{"events":["INVOKE","SHUTDOWN"]}'
        id=$(grep -i '^Lambda-Extension-Identifier:' "$headers" | cut -d' ' -f2 | tr -d '\r')
        echo "[$name] registered $(cat /tmp/registered)"
        while true; do
          event=$(curl -sS "$api/event/next" -H "Lambda-Extension-Identifier: $id")
          echo "[$name] event $event"
          case $event in *'"eventType":"SHUTDOWN"'*) echo "[$name] bye"; exit 0;; esac
          sleep 0.2 # work after the runtime answered: the invocation waits for it
        done
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task ExternalExtension_FromALayer_RegistersBeforeTheRuntime_GetsInvokeEvents_AndShutdownOnSpindown()
    {
        var layer = await PublishAsync("events-ext-layer", ("extensions/events-ext", EventsExtension));
        await CreateAsync("with-extension", "python3.12", ("index.py", "print('module loaded')\ndef handler(event, context):\n    print('handler ran')\n    return {'ok': True}\n"), layer);

        var cold = await InvokeAsync("with-extension");
        var warm = await InvokeAsync("with-extension");
        Assert.All(new[] { cold, warm }, call => Assert.Equal("{\"ok\": true}", call.Payload));
        Assert.Contains("[events-ext] event {\"eventType\":\"INVOKE\"", warm.Tail); // the extension's work is part of the invocation, before END
        Assert.Contains("Init Duration", cold.Tail);

        // A new configuration retires the environment: its extension gets SHUTDOWN (spindown) and exits on it.
        await Tools.AwsOkAsync(Node, "lambda", "update-function-configuration", "--function-name", "with-extension", "--description", "retire the old environment");
        var lines = await LogLinesAsync("with-extension", until: "[events-ext] bye");

        int At(string text) => lines.FindIndex(line => line.Contains(text, StringComparison.Ordinal)) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no line with {text}:\n{string.Join('\n', lines)}");
        Assert.Contains("[events-ext] sees _HANDLER=unset AWS_LAMBDA_FUNCTION_NAME=with-extension", lines); // Lambda keeps the _ variables from extensions
        Assert.Contains("[events-ext] registered {\"functionName\":\"with-extension\",\"functionVersion\":\"$LATEST\",\"handler\":\"index.handler\"}", lines);
        Assert.Contains("EXTENSION\tName: events-ext\tState: Ready\tEvents: [INVOKE, SHUTDOWN]", lines);
        Assert.True(At("[events-ext] registering in a moment") < At("module loaded"), "the runtime starts once the extension registered");
        Assert.True(At("module loaded") < At("EXTENSION\tName: events-ext") && At("EXTENSION\tName: events-ext") < At($"START RequestId: {cold.RequestId}"));
        foreach (var call in new[] { cold, warm })
        {
            var invoke = lines.Single(line => line.Contains("\"eventType\":\"INVOKE\"", StringComparison.Ordinal) && line.Contains(call.RequestId, StringComparison.Ordinal));
            var json = JsonDocument.Parse(invoke[invoke.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
            Assert.Equal(call.RequestId, json.GetProperty("requestId").GetString());
            Assert.EndsWith(":function:with-extension", json.GetProperty("invokedFunctionArn").GetString(), StringComparison.Ordinal);
            Assert.Equal("X-Amzn-Trace-Id", json.GetProperty("tracing").GetProperty("type").GetString());
            Assert.True(json.GetProperty("deadlineMs").GetInt64() > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
            Assert.True(At($"START RequestId: {call.RequestId}") < lines.IndexOf(invoke) && lines.IndexOf(invoke) < At($"END RequestId: {call.RequestId}"));
        }

        var shutdown = lines.Single(line => line.Contains("\"eventType\":\"SHUTDOWN\"", StringComparison.Ordinal));
        Assert.Contains("\"shutdownReason\":\"spindown\"", shutdown);
        Assert.True(At($"REPORT RequestId: {warm.RequestId}") < lines.IndexOf(shutdown));
    }

    [Fact]
    public async Task TheCallerIsAnsweredWhenTheRuntimeIs_TheExtensionsPartFollows_AndATimeoutTellsThemSo()
    {
        // After its first INVOKE the extension works for 5 s (a flush to a slow backend, say): the caller does not wait for it.
        var slow = await PublishAsync("slow-ext-layer", ("extensions/slow-ext", """
            #!/bin/bash
            api="http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension"
            id=$(curl -sS -D - -o /dev/null -X POST "$api/register" -H "Lambda-Extension-Name: slow-ext" -d '{"events":["INVOKE"]}' | grep -i '^Lambda-Extension-Identifier:' | cut -d' ' -f2 | tr -d '\r')
            while true; do
              curl -sS "$api/event/next" -H "Lambda-Extension-Identifier: $id" > /dev/null
              [ -e /tmp/worked ] || { touch /tmp/worked; echo "[slow-ext] working"; sleep 5; echo "[slow-ext] done"; }
            done
            """));
        var code = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(event, context):\n    return {'ok': True}\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "slow-extension", "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role,
            "--zip-file", $"fileb://{code}", "--layers", slow, "--timeout", "30"); // the timeout bounds the extension's work too
        var outFile = Path.Combine(fixture.WorkDirectory, "slow-extension.json");
        var answered = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", "slow-extension", "--payload", "{}", outFile));
        Assert.Equal("{\"ok\": true}", await File.ReadAllTextAsync(outFile));
        Assert.False(answered.TryGetProperty("FunctionError", out _));
        var soon = Tools.Json(await Tools.AwsOkAsync(Node, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/slow-extension", "--filter-pattern", "REPORT"));
        Assert.Empty(soon.GetProperty("events").EnumerateArray()); // answered while the extension still works: no REPORT yet

        var next = await InvokeAsync("slow-extension"); // waits for the environment, then runs on it
        Assert.DoesNotContain("Init Duration", next.Tail);
        var lines = await LogLinesAsync("slow-extension", until: $"REPORT RequestId: {next.RequestId}");
        var first = lines.First(l => l.StartsWith("REPORT", StringComparison.Ordinal));
        var duration = double.Parse(first.Split('\t').First(f => f.StartsWith("Duration: ", StringComparison.Ordinal))["Duration: ".Length..^" ms".Length], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(duration >= 5000, first); // the extension's time is the invocation's
        Assert.True(lines.IndexOf("[slow-ext] done") < lines.IndexOf(first));

        // A timeout resets the environment: its extensions hear SHUTDOWN with reason timeout before it goes.
        var events = await PublishAsync("events-ext-timeout-layer", ("extensions/events-ext", EventsExtension));
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "import time\ndef handler(event, context):\n    time.sleep(5)\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "timing-out-with-extension", "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role,
            "--zip-file", $"fileb://{zip}", "--layers", events, "--timeout", "1");
        var timedOut = await InvokeAsync("timing-out-with-extension", expectError: true);
        Assert.Contains("Task timed out after 1.00 seconds", timedOut.Payload);
        var timeoutLines = await LogLinesAsync("timing-out-with-extension", until: $"REPORT RequestId: {timedOut.RequestId}");
        var shutdown = timeoutLines.FindIndex(l => l.Contains("\"shutdownReason\":\"timeout\"", StringComparison.Ordinal));
        Assert.True(shutdown > 0 && shutdown < timeoutLines.FindIndex(l => l.StartsWith($"REPORT RequestId: {timedOut.RequestId}", StringComparison.Ordinal)), string.Join('\n', timeoutLines));
    }

    [Fact]
    public async Task ExtensionFailures_FailInitWithLambdasErrorTypes_AndTheNextCallStartsAgain()
    {
        var crashing = await PublishAsync("crashing-ext-layer", ("extensions/crasher", "#!/bin/bash\necho 'crasher starting'\nexit 3\n"));
        var reporting = await PublishAsync("init-error-ext-layer", ("extensions/reporter", """
            #!/bin/bash
            api="http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension"
            id=$(curl -sS -D - -o /dev/null -X POST "$api/register" -H "Lambda-Extension-Name: reporter" -d '{"events":["INVOKE"]}' | grep -i '^Lambda-Extension-Identifier:' | cut -d' ' -f2 | tr -d '\r')
            curl -sS -X POST "$api/init/error" -H "Lambda-Extension-Identifier: $id" -H "Lambda-Extension-Function-Error-Type: Extension.ConfigInvalid" -d '{"errorMessage":"no config","errorType":"Extension.ConfigInvalid"}'
            echo
            sleep 30
            """));
        await CreateAsync("crashing-extension", "python3.12", ("index.py", "def handler(event, context):\n    return 1\n"), crashing);
        await CreateAsync("reporting-extension", "python3.12", ("index.py", "def handler(event, context):\n    return 1\n"), reporting);

        foreach (var (function, errorType, message) in new[] { ("crashing-extension", "Extension.Crash", "crasher crashed: exit status 3"), ("reporting-extension", "Extension.InitError", "reporter reported Extension.ConfigInvalid") })
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var failed = await InvokeAsync(function, expectError: true);
                var error = JsonDocument.Parse(failed.Payload).RootElement;
                Assert.Equal(errorType, error.GetProperty("errorType").GetString());
                Assert.EndsWith(message, error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
                Assert.Contains($"Status: error\tError Type: {errorType}", failed.Tail);
            }
        }
    }

    [Fact]
    public async Task InternalExtension_RegistersFromTheRuntime_AndTheApiRefusesWhatLambdaRefuses()
    {
        // The function's module registers an internal extension during INIT and answers its INVOKE events from a loop of
        // its own; its handler then tries what Lambda refuses and returns the statuses and error types it got.
        const string Code =
            """
            const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension`;
            const call = async (path, init = {}) => { const r = await fetch(api + path, init); return { status: r.status, body: await r.json().catch(() => null), id: r.headers.get('lambda-extension-identifier') }; };
            const registered = await call('/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'in-process' }, body: JSON.stringify({ events: ['INVOKE'] }) });
            const seen = [];
            (async () => {
              for (;;) {
                const next = await call('/event/next', { headers: { 'Lambda-Extension-Identifier': registered.id } });
                seen.push(next.body.requestId);
              }
            })();
            export const handler = async (event, context) => {
              const refusals = {
                shutdownForInternal: await call('/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'late' }, body: '{"events":["SHUTDOWN"]}' }),
                afterInit: await call('/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'late' }, body: '{"events":["INVOKE"]}' }),
                noName: await call('/register', { method: 'POST', body: '{"events":[]}' }),
                badJson: await call('/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'bad' }, body: '{"events":' }),
                configurationKeys: await call('/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'old' }, body: '{"events":[],"configurationKeys":["a"]}' }),
                noIdentifier: await call('/event/next'),
                malformedIdentifier: await call('/event/next', { headers: { 'Lambda-Extension-Identifier': 'not-a-uuid' } }),
                unknownIdentifier: await call('/event/next', { headers: { 'Lambda-Extension-Identifier': '00000000-0000-0000-0000-000000000000' } }),
                noErrorType: await call('/init/error', { method: 'POST', headers: { 'Lambda-Extension-Identifier': registered.id }, body: '{}' }),
              };
              return { registered: registered.status, requestId: context.awsRequestId, seen, refusals: Object.fromEntries(Object.entries(refusals).map(([k, v]) => [k, `${v.status} ${v.body?.errorType}`])) };
            };
            """;
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.mjs", Code));
        // Its handler makes nine calls: beyond Lambda's default timeout of 3 s for a 128 MB function on a busy test machine.
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "internal-extension", "--runtime", "nodejs22.x", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--timeout", "15");

        var first = JsonDocument.Parse((await InvokeAsync("internal-extension")).Payload).RootElement;
        var second = JsonDocument.Parse((await InvokeAsync("internal-extension")).Payload).RootElement;
        Assert.Equal(200, first.GetProperty("registered").GetInt32());
        Assert.Contains(first.GetProperty("requestId").GetString(), second.GetProperty("seen").EnumerateArray().Select(e => e.GetString())); // INVOKE for each call
        var refusals = second.GetProperty("refusals");
        Assert.Equal("403 Extension.InvalidEventType", refusals.GetProperty("shutdownForInternal").GetString());
        Assert.Equal("403 Extension.RegistrationClosed", refusals.GetProperty("afterInit").GetString());
        Assert.Equal("403 Extension.InvalidExtensionName", refusals.GetProperty("noName").GetString());
        Assert.Equal("403 InvalidRequestFormat", refusals.GetProperty("badJson").GetString());
        Assert.Equal("403 InvalidRequestFormat", refusals.GetProperty("configurationKeys").GetString());
        Assert.Equal("403 Extension.MissingExtensionIdentifier", refusals.GetProperty("noIdentifier").GetString());
        Assert.Equal("403 Extension.InvalidExtensionIdentifier", refusals.GetProperty("malformedIdentifier").GetString());
        Assert.Equal("403 Extension.UnknownExtensionIdentifier", refusals.GetProperty("unknownIdentifier").GetString());
        Assert.Equal("403 Extension.MissingHeader", refusals.GetProperty("noErrorType").GetString());
    }

    /// <summary>
    /// An external Node.js extension as AWS's telemetry samples write one: it listens on sandbox.localdomain:4243, subscribes
    /// to the Telemetry API during INIT (after a subscription Lambda refuses), and keeps every batch it receives in /tmp,
    /// which the function (same /tmp) hands back.
    /// </summary>
    private const string TelemetryExtension =
        """
        #!/usr/bin/env node
        const http = require('http');
        const fs = require('fs');
        const name = require('path').basename(__filename);
        const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}`;
        const note = (line) => fs.appendFileSync('/tmp/extension-notes', line + '\n');
        const subscribe = (id, body) => fetch(`${api}/2022-07-01/telemetry`, { method: 'PUT', headers: { 'Lambda-Extension-Identifier': id }, body: JSON.stringify(body) });
        const subscription = { schemaVersion: '2022-12-13', types: ['platform', 'function'], buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 }, destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:4243/telemetry' } };
        (async () => {
          const registered = await fetch(`${api}/2020-01-01/extension/register`, { method: 'POST', headers: { 'Lambda-Extension-Name': name }, body: JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }) });
          const id = registered.headers.get('lambda-extension-identifier');
          const server = http.createServer((req, res) => {
            let body = '';
            req.on('data', (chunk) => body += chunk);
            req.on('end', () => { fs.appendFileSync('/tmp/telemetry.ndjson', `${req.method} ${req.url} ${req.headers['content-type']} ${body}\n`); res.end(); });
          });
          await new Promise((resolve) => server.listen(4243, 'sandbox.localdomain', resolve));
          const invalid = await subscribe(id, { ...subscription, buffering: { timeoutMs: 5 } });
          note(`invalid ${invalid.status} ${(await invalid.json()).errorType}`);
          const accepted = await subscribe(id, subscription);
          note(`subscribed ${accepted.status} ${await accepted.text()}`);
          for (let first = true; ; first = false) {
            const event = await (await fetch(`${api}/2020-01-01/extension/event/next`, { headers: { 'Lambda-Extension-Identifier': id } })).json();
            if (event.eventType === 'SHUTDOWN') process.exit(0);
            if (first) {
              const late = await subscribe(id, subscription);
              note(`late ${late.status} ${(await late.json()).errorType}`);
            }
          }
        })();
        """;

    [Fact]
    public async Task TelemetryApi_DeliversPlatformAndFunctionRecords_InLambdasShapesAndOrder_ToASubscribedExtension()
    {
        const string Function =
            """
            import fs from 'fs';
            export const handler = async (event, context) => {
              console.log('function says hi', event.n ?? 0);
              if (!event.waitFor) return 'ok';
              const records = () => fs.readFileSync('/tmp/telemetry.ndjson', 'utf8').split('\n').filter(Boolean);
              const arrived = () => fs.existsSync('/tmp/telemetry.ndjson') && records().some((r) => r.includes('"platform.report"') && r.includes(event.waitFor))
                && records().some((r) => r.includes('"platform.start"') && r.includes(context.awsRequestId));
              for (let i = 0; i < 200 && !arrived(); i++) {
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
              return { batches: records(), notes: fs.readFileSync('/tmp/extension-notes', 'utf8') };
            };
            """;
        var layer = await PublishAsync("telemetry-ext-layer", ("extensions/telemetry-ext", TelemetryExtension));
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.mjs", Function));
        // The second call waits up to 4 s for the first one's records: beyond Lambda's default timeout of 3 s on a busy machine.
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "with-telemetry", "--runtime", "nodejs22.x", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--layers", layer, "--timeout", "15");

        var first = await InvokeAsync("with-telemetry", payload: "{\"n\":1}");
        var second = await InvokeAsync("with-telemetry", payload: $"{{\"waitFor\":\"{first.RequestId}\"}}");
        var answer = JsonDocument.Parse(second.Payload).RootElement;
        Assert.Equal("invalid 400 ValidationError\nsubscribed 200 \"OK\"\nlate 403 Telemetry.SubscriptionClosed\n", answer.GetProperty("notes").GetString());

        List<JsonElement> records = [];
        foreach (var batch in answer.GetProperty("batches").EnumerateArray().Select(b => b.GetString()!))
        {
            Assert.StartsWith("POST /telemetry application/json [", batch, StringComparison.Ordinal); // a JSON array per POST, to the subscribed path
            records.AddRange(JsonDocument.Parse(batch["POST /telemetry application/json ".Length..]).RootElement.EnumerateArray().Select(r => r.Clone()));
        }

        var types = records.Select(r => r.GetProperty("type").GetString()).ToList();
        Assert.DoesNotContain("extension", types); // not subscribed
        var platform = types.Where(t => t!.StartsWith("platform.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["platform.initStart", "platform.telemetrySubscription", "platform.initRuntimeDone", "platform.extension", "platform.initReport", "platform.start", "platform.runtimeDone", "platform.report", "platform.start"],
            platform.Take(9));
        JsonElement Record(string type, int skip = 0) => records.Where(r => r.GetProperty("type").GetString() == type).Skip(skip).First().GetProperty("record");
        Assert.Equal("on-demand", Record("platform.initStart").GetProperty("initializationType").GetString());
        Assert.Equal("with-telemetry", Record("platform.initStart").GetProperty("functionName").GetString());
        Assert.Equal("{\"name\":\"telemetry-ext\",\"state\":\"Subscribed\",\"types\":[\"platform\",\"function\"]}", Record("platform.telemetrySubscription").GetRawText());
        Assert.Equal("success", Record("platform.initRuntimeDone").GetProperty("status").GetString());
        Assert.True(Record("platform.initReport").GetProperty("metrics").GetProperty("durationMs").GetDouble() > 0);
        Assert.Equal("{\"name\":\"telemetry-ext\",\"state\":\"Ready\",\"events\":[\"INVOKE\",\"SHUTDOWN\"]}", Record("platform.extension").GetRawText());
        Assert.Equal(first.RequestId, Record("platform.start").GetProperty("requestId").GetString());
        Assert.Equal("$LATEST", Record("platform.start").GetProperty("version").GetString());
        var runtimeDone = Record("platform.runtimeDone");
        Assert.Equal(first.RequestId, runtimeDone.GetProperty("requestId").GetString());
        Assert.Equal("success", runtimeDone.GetProperty("status").GetString());
        Assert.Equal(4, runtimeDone.GetProperty("metrics").GetProperty("producedBytes").GetInt64()); // "ok"
        var report = Record("platform.report");
        Assert.Equal(first.RequestId, report.GetProperty("requestId").GetString());
        Assert.Equal("success", report.GetProperty("status").GetString());
        var metrics = report.GetProperty("metrics");
        Assert.Equal(128, metrics.GetProperty("memorySizeMB").GetInt32());
        Assert.True(metrics.GetProperty("maxMemoryUsedMB").GetInt32() > 0);
        Assert.True(metrics.GetProperty("initDurationMs").GetDouble() > 0); // the cold call
        Assert.True(metrics.GetProperty("billedDurationMs").GetInt64() >= (long)metrics.GetProperty("durationMs").GetDouble());
        Assert.Equal(second.RequestId, Record("platform.start", skip: 1).GetProperty("requestId").GetString());

        // The function's line arrives as a function record, between its invocation's start and runtimeDone.
        var said = records.FindIndex(r => r.GetProperty("type").GetString() == "function" && r.GetProperty("record").GetString()!.Contains($"{first.RequestId}\tINFO\tfunction says hi 1", StringComparison.Ordinal));
        Assert.InRange(said, records.FindIndex(r => r.GetProperty("type").GetString() == "platform.start"), records.FindIndex(r => r.GetProperty("type").GetString() == "platform.runtimeDone"));
        Assert.All(records, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r.GetProperty("time").GetString()!));

        var lines = await LogLinesAsync("with-telemetry", until: "TELEMETRY");
        Assert.Contains("TELEMETRY\tName: telemetry-ext\tState: Subscribed\tTypes: [Platform, Function]", lines);
        Assert.True(lines.FindIndex(l => l.StartsWith("TELEMETRY", StringComparison.Ordinal)) < lines.FindIndex(l => l.StartsWith("EXTENSION", StringComparison.Ordinal)));
    }

    private async Task<string> PublishAsync(string layer, params (string Name, string Content)[] files)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, files);
        return Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-layer-version", "--layer-name", layer, "--zip-file", $"fileb://{zip}")).GetProperty("LayerVersionArn").GetString()!;
    }

    /// <summary>A function with <paramref name="layer"/>, and 15 s to run: an extension's part of each invocation counts against the timeout, and Lambda's default 3 s is tight for a 128 MB function on a busy test machine.</summary>
    private async Task CreateAsync(string name, string runtime, (string Name, string Content) file, string layer)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, file);
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--layers", layer, "--timeout", "15");
    }

    private async Task<(string Payload, string Tail, string RequestId)> InvokeAsync(string name, bool expectError = false, string payload = "{}")
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{name}-{Guid.NewGuid():N}.json");
        var invoked = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, "--log-type", "Tail", "--payload", payload, outFile));
        var answer = await File.ReadAllTextAsync(outFile);
        var tail = Encoding.UTF8.GetString(Convert.FromBase64String(invoked.GetProperty("LogResult").GetString()!));
        Assert.True(expectError == invoked.TryGetProperty("FunctionError", out _), $"{answer}\n{tail}");
        var start = tail[(tail.IndexOf("START RequestId: ", StringComparison.Ordinal) + "START RequestId: ".Length)..];
        return (answer, tail, start[..start.IndexOf(' ', StringComparison.Ordinal)]);
    }

    /// <summary>Every line of the function's log group in order, once a line containing <paramref name="until"/> is there (up to 20 s).</summary>
    private async Task<List<string>> LogLinesAsync(string function, string until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var events = Tools.Json(await Tools.AwsOkAsync(Node, "logs", "filter-log-events", "--log-group-name", $"/aws/lambda/{function}")).GetProperty("events");
            var lines = events.EnumerateArray().Select(e => e.GetProperty("message").GetString()!.TrimEnd('\n')).ToList();
            if (lines.Exists(line => line.Contains(until, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(500);
        }
    }
}
