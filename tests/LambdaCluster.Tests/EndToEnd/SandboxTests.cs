using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LambdaCluster.Tests.Support;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The sandbox, tried from inside functions as a hostile user would: what a function can see of the node and of another
/// function running beside it, and what happens when it takes more memory, processes or time than it was given.
/// Calls are signed HTTP requests (the CLI's second per call would dominate).
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class SandboxTests(NodeFixture fixture)
{
    /// <summary>Looks around from inside: its user, its files, the processes it sees, and what it can find of others.</summary>
    private const string PythonProbe = """
        import json, os
        def handler(event, context):
            seen = {"uid": os.getuid(), "cwd": os.getcwd(), "taskRoot": os.environ["LAMBDA_TASK_ROOT"], "runtimeDir": os.environ["LAMBDA_RUNTIME_DIR"]}
            try:
                open("/var/task/written", "w")
                seen["taskWritable"] = True
            except OSError as e:
                seen["taskWritable"] = e.strerror
            pids = [p for p in os.listdir("/proc") if p.isdigit()]
            seen["processes"] = len(pids)
            seen["otherNames"] = set()
            for p in pids:
                try:
                    for v in open(f"/proc/{p}/environ", "rb").read().split(b"\0"):
                        if v.startswith(b"AWS_LAMBDA_FUNCTION_NAME="):
                            seen["otherNames"].add(v.decode().split("=", 1)[1])
                except OSError:
                    pass
            seen["otherNames"] = sorted(seen["otherNames"] - {context.function_name})
            seen["visible"] = {p: os.path.exists(p) for p in event["paths"]}
            stat = os.statvfs("/tmp")
            seen["tmpMb"] = stat.f_blocks * stat.f_frsize // (1024 * 1024)
            try:
                with open("/tmp/fill", "wb") as f:
                    for _ in range(event["fillMb"]):
                        f.write(b"\0" * 1048576)
                seen["tmpFull"] = False
            except OSError as e:
                seen["tmpFull"] = e.strerror
            os.remove("/tmp/fill")
            return seen
        """;

    private const string NodeProbe = """
        import fs from 'node:fs';
        import os from 'node:os';
        export const handler = async (event, context) => {
          let taskWritable = true;
          try { fs.writeFileSync('/var/task/written', 'x'); } catch (e) { taskWritable = e.code; }
          const processes = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).length;
          const visible = Object.fromEntries(event.paths.map((p) => [p, fs.existsSync(p)]));
          return { uid: process.getuid(), user: os.userInfo().username, home: os.homedir(), cwd: process.cwd(), taskRoot: process.env.LAMBDA_TASK_ROOT, taskWritable, processes, visible };
        };
        """;

    /// <summary>Takes what it is asked for: memory (MB), processes (forks until refused), or time (a child that outlives it).</summary>
    private const string Hog = """
        import os, subprocess, time
        def handler(event, context):
            if "memoryMb" in event:
                block = bytearray(event["memoryMb"] * 1048576)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                return len(block)
            if "forks" in event:
                made = 0
                try:
                    for _ in range(event["forks"]):
                        if os.fork() == 0:
                            time.sleep(20)
                            os._exit(0)
                        made += 1
                except OSError as e:
                    return {"made": made, "refused": e.strerror}
                return {"made": made}
            if "hang" in event:
                subprocess.Popen(["sleep", "300"])
                time.sleep(60)
            return "ok"
        """;

    /// <summary>Tries a TCP connection to its own Runtime API and to each port it is given on this machine.</summary>
    private const string NetworkProbe = """
        import os, socket
        def reach(host, port):
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                return True
            except OSError:
                return False
        def handler(event, context):
            host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
            seen = {"ownRuntimeApi": reach(host, int(port))}
            for name, port in event["ports"].items():
                seen[name] = reach("127.0.0.1", port)
            return seen
        """;

    private static readonly HttpClient Http = new();

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task PythonAndNodeFunctions_SeeOnlyTheirOwnSandbox_WhileAnotherFunctionRuns()
    {
        // A second function is busy while the probes look for it: its environment, code and data must be out of reach.
        await CreateAsync("sandbox-neighbour", "python3.12", "index.handler", ("index.py", Hog), timeout: 8);
        var neighbour = InvokeAsync("sandbox-neighbour", new { hang = 1 });
        var codeCache = Path.Combine(Node.DataDirectory, "code");
        for (var i = 0; i < 100 && !(Directory.Exists(codeCache) && Directory.EnumerateDirectories(codeCache).Any()); i++)
        {
            await Task.Delay(100); // the neighbour's package is unpacked as its environment starts
        }

        var neighbourCode = Directory.EnumerateDirectories(codeCache).ToList();
        Assert.NotEmpty(neighbourCode);
        string[] paths = [.. neighbourCode, Path.Combine(Node.DataDirectory, "keys", "state.key"), Node.DataDirectory, "/root", "/home", "/var/task/index.py", "/var/runtime", "/sys"];

        // /tmp is memory (tmpfs) here, charged to the function's memory: enough memory that only the /tmp bound can stop it.
        await CreateAsync("sandbox-python", "python3.12", "index.handler", ("index.py", PythonProbe), memorySize: 1024, ephemeralStorageMb: 600);
        var python = Json(await SucceedsAsync("sandbox-python", new { paths, fillMb = 700 }));
        Assert.True(python.GetProperty("uid").GetInt32() >= 200_000, "the function runs as a user of its own, not the node's");
        Assert.Equal("/var/task", python.GetProperty("cwd").GetString());
        Assert.Equal("/var/task", python.GetProperty("taskRoot").GetString());
        Assert.Equal("/var/runtime", python.GetProperty("runtimeDir").GetString());
        Assert.Equal("Read-only file system", python.GetProperty("taskWritable").GetString());
        Assert.InRange(python.GetProperty("processes").GetInt32(), 1, 5);
        Assert.Empty(python.GetProperty("otherNames").EnumerateArray());
        var visible = python.GetProperty("visible");
        Assert.All(neighbourCode, code => Assert.False(visible.GetProperty(code).GetBoolean(), $"another function's code at {code} is visible"));
        Assert.False(visible.GetProperty(Path.Combine(Node.DataDirectory, "keys", "state.key")).GetBoolean());
        Assert.False(visible.GetProperty(Node.DataDirectory).GetBoolean());
        Assert.False(visible.GetProperty("/root").GetBoolean());
        Assert.False(visible.GetProperty("/sys").GetBoolean());
        Assert.True(visible.GetProperty("/var/task/index.py").GetBoolean());
        // /tmp is private and bounded by EphemeralStorage (600 MB here): 700 MB do not fit.
        Assert.Equal(600, python.GetProperty("tmpMb").GetInt32());
        Assert.Equal("No space left on device", python.GetProperty("tmpFull").GetString());

        await CreateAsync("sandbox-node", "nodejs22.x", "index.handler", ("index.mjs", NodeProbe));
        var node = Json(await SucceedsAsync("sandbox-node", new { paths }));
        Assert.True(node.GetProperty("uid").GetInt32() >= 200_000);
        Assert.Equal("sbx_user1051", node.GetProperty("user").GetString()); // Lambda's user name, for runtimes and SDKs that look it up
        Assert.Equal("/home/sbx_user1051", node.GetProperty("home").GetString());
        Assert.Equal("/var/task", node.GetProperty("cwd").GetString());
        Assert.Equal("EROFS", node.GetProperty("taskWritable").GetString());
        Assert.InRange(node.GetProperty("processes").GetInt32(), 1, 5);
        Assert.False(node.GetProperty("visible").GetProperty(Node.DataDirectory).GetBoolean());
        Assert.All(neighbourCode, code => Assert.False(node.GetProperty("visible").GetProperty(code).GetBoolean()));

        Assert.Contains("Task timed out", (await neighbour).Body);
    }

    [Fact]
    public async Task Network_ReachesItsRuntimeApiAndTheLambdaApi_ButNoOtherPortOfTheNode()
    {
        await using var redis = await RedisServer.StartAsync();
        await CreateAsync("sandbox-net-neighbour", "python3.12", "index.handler", ("index.py", Hog), timeout: 8);
        var neighbour = InvokeAsync("sandbox-net-neighbour", new { hang = 1 });
        var neighbourRuntimeApi = 0;
        for (var i = 0; i < 100 && neighbourRuntimeApi == 0; i++)
        {
            await Task.Delay(100);
            neighbourRuntimeApi = RuntimeApiPortOf("sandbox-net-neighbour");
        }

        Assert.NotEqual(0, neighbourRuntimeApi);
        var ports = new Dictionary<string, int>
        {
            ["lambdaApi"] = new Uri(Node.Endpoint).Port,
            ["orleansSilo"] = int.Parse(Node.Settings["Silo:SiloPort"], System.Globalization.CultureInfo.InvariantCulture),
            ["orleansGateway"] = int.Parse(Node.Settings["Silo:GatewayPort"], System.Globalization.CultureInfo.InvariantCulture),
            ["redis"] = redis.Port,
            ["neighbourRuntimeApi"] = neighbourRuntimeApi,
        };

        await CreateAsync("sandbox-net", "python3.12", "index.handler", ("index.py", NetworkProbe));
        var seen = Json(await SucceedsAsync("sandbox-net", new { ports }));

        Assert.True(seen.GetProperty("ownRuntimeApi").GetBoolean());
        Assert.True(seen.GetProperty("lambdaApi").GetBoolean(), "functions call the cluster's Lambda API with the SDKs");
        Assert.False(seen.GetProperty("orleansSilo").GetBoolean(), "the Orleans silo port is reachable");
        Assert.False(seen.GetProperty("orleansGateway").GetBoolean(), "the Orleans gateway port is reachable");
        Assert.False(seen.GetProperty("redis").GetBoolean(), "a Redis on the node is reachable");
        Assert.False(seen.GetProperty("neighbourRuntimeApi").GetBoolean(), "another environment's Runtime API is reachable");
        Assert.Contains("Task timed out", (await neighbour).Body);
    }

    [Fact]
    public async Task Function_CallsTheClusterWithTheSdk_UsingTemporaryCredentialsOfItsOwn()
    {
        const string handler = """
            import { LambdaClient, GetFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
            import { SignatureV4 } from '@smithy/signature-v4';
            import { createHash, createHmac } from 'node:crypto';
            class Sha256 {
              constructor(secret) { this.hash = secret ? createHmac('sha256', secret) : createHash('sha256'); }
              update(data) { this.hash.update(data); }
              async digest() { return new Uint8Array(this.hash.digest()); }
            }
            // A GET signed with this function's credentials for another service, with that service's X-Amz-Target.
            async function disguised(endpoint, service, target, path) {
              const url = new URL(endpoint);
              const credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY, sessionToken: process.env.AWS_SESSION_TOKEN };
              const signer = new SignatureV4({ service, region: process.env.AWS_REGION, credentials, sha256: Sha256 });
              const headers = { host: url.host, ...(target ? { 'x-amz-target': target } : {}) };
              const signed = await signer.sign({ method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query: {}, headers });
              delete signed.headers.host;
              const answer = await fetch(`${endpoint}${path}`, { headers: signed.headers });
              return `${answer.status} ${answer.headers.get('x-amzn-errortype') ?? ''}`;
            }
            export const handler = async (event, context) => {
              const client = new LambdaClient({ endpoint: event.endpoint, maxAttempts: 1 }); // region and credentials from the environment
              const self = await client.send(new GetFunctionCommand({ FunctionName: context.functionName }));
              let others = 'allowed';
              try { await client.send(new ListFunctionsCommand({})); } catch (e) { others = e.name; }
              const asLogs = await disguised(event.endpoint, 'logs', 'Logs_20140328.DescribeLogGroups', '/2015-03-31/functions');
              const testEvents = await disguised(event.endpoint, 'schemas', null, '/v1/registries/name/lambda-testevent-schemas');
              return { accessKeyId: process.env.AWS_ACCESS_KEY_ID, token: process.env.AWS_SESSION_TOKEN ?? '', arn: self.Configuration.FunctionArn, others, asLogs, testEvents };
            };
            """;
        await CreateFromZipAsync("sandbox-sdk", "nodejs22.x", "index.handler", SdkPackage(handler), memorySize: 256);

        var seen = Json(await SucceedsAsync("sandbox-sdk", new { endpoint = Node.Endpoint }));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:sandbox-sdk", seen.GetProperty("arn").GetString());
        var accessKeyId = seen.GetProperty("accessKeyId").GetString()!;
        Assert.StartsWith("ASIA", accessKeyId, StringComparison.Ordinal); // temporary, never the node's own "test"
        Assert.NotEmpty(seen.GetProperty("token").GetString()!);
        Assert.Equal("AccessDeniedException", seen.GetProperty("others").GetString()); // other functions' code and configuration are not its to read
        // A Logs target on a Lambda path does not make it a Logs call (whose policy allows the data plane): it is checked as Lambda's.
        Assert.StartsWith("403 InvalidSignatureException", seen.GetProperty("asLogs").GetString());
        Assert.Equal("403 AccessDeniedException", seen.GetProperty("testEvents").GetString()); // saved test events are the console's, not functions'

        // The key is nothing without its session token, and the token nothing with another key id.
        using var bare = Tools.Signed(Node.Endpoint, HttpMethod.Get, "/2015-03-31/functions/", [], accessKeyId, "wrong secret");
        using var refused = await Http.SendAsync(bare);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("UnrecognizedClientException", refused.Headers.GetValues("X-Amzn-ErrorType").Single());
    }

    [Theory]
    [InlineData("python3.12", "index.py")]
    [InlineData("nodejs22.x", "index.mjs")]
    public async Task TwiceMemorySize_IsKilled_AsLambdaKillsIt_AndTheNextCallGetsAFreshEnvironment(string runtime, string file)
    {
        // Node.js: a Buffer lives outside V8's heap, so the control group's limit is what stops it (as on Lambda).
        var code = file == "index.py" ? Hog : "export const handler = async (event) => Buffer.alloc(event.memoryMb * 1048576, 1).length;\n";
        var name = $"sandbox-memory-{runtime.Replace('.', '-')}";
        await CreateAsync(name, runtime, "index.handler", (file, code), memorySize: 128, timeout: 20);

        var killed = await InvokeAsync(name, new { memoryMb = 256 });
        Assert.Equal("Unhandled", killed.FunctionError);
        var error = Json(killed.Body);
        Assert.Equal("Runtime.ExitError", error.GetProperty("errorType").GetString());
        Assert.EndsWith("Error: Runtime exited with error: signal: killed", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains("Max Memory Used: 128 MB", killed.Tail, StringComparison.Ordinal);

        var next = await InvokeAsync(name, new { memoryMb = 16 });
        Assert.Null(next.FunctionError);
        Assert.Contains("Init Duration", next.Tail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForkBomb_IsHeldAtThePidsLimit_AndTheNodeAnswersOtherCallsThroughout()
    {
        await CreateAsync("sandbox-forks", "python3.12", "index.handler", ("index.py", Hog), memorySize: 1024, timeout: 90); // 1,000 forks take seconds; under a loaded CI machine more than 30 s once
        await CreateAsync("sandbox-bystander", "python3.12", "index.handler", ("index.py", Hog));
        Assert.Null((await InvokeAsync("sandbox-bystander", new { })).FunctionError);

        var bomb = InvokeAsync("sandbox-forks", new { forks = 3000 });
        var answered = 0;
        while (!bomb.IsCompleted && answered < 20)
        {
            var call = await InvokeAsync("sandbox-bystander", new { });
            Assert.Null(call.FunctionError);
            answered++;
        }

        var result = Json((await bomb).Body);
        Assert.InRange(result.GetProperty("made").GetInt32(), 1000, 1023); // Lambda's 1,024 processes and threads, the runtime's own included
        Assert.Equal("Resource temporarily unavailable", result.GetProperty("refused").GetString());
        Assert.True(answered > 0, "the bystander was not called while the fork bomb ran");
    }

    [Fact]
    public async Task TimedOutFunction_LeavesNoProcessBehind()
    {
        await CreateAsync("sandbox-timeout", "python3.12", "index.handler", ("index.py", Hog), timeout: 1);

        var timedOut = await InvokeAsync("sandbox-timeout", new { hang = 1 });
        Assert.Contains("Task timed out after 1.00 seconds", timedOut.Body, StringComparison.Ordinal);

        // The handler's child (sleep 300) went with it: no process of the function is left on the host.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ProcessesOf("sandbox-timeout") > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, ProcessesOf("sandbox-timeout"));
    }

    private Task CreateAsync(string name, string runtime, string handler, (string Name, string Content) file, int memorySize = 128, int timeout = 10, int ephemeralStorageMb = 512) =>
        CreateFromZipAsync(name, runtime, handler, Tools.Zip(fixture.WorkDirectory, file), memorySize, timeout, ephemeralStorageMb);

    private string SdkPackage(string handler) => Tools.SdkPackage(fixture.WorkDirectory, handler, "@aws-sdk/client-lambda");

    private async Task CreateFromZipAsync(string name, string runtime, string handler, string zip, int memorySize = 128, int timeout = 10, int ephemeralStorageMb = 512)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            FunctionName = name,
            Runtime = runtime,
            Handler = handler,
            Role = Functions.Role,
            MemorySize = memorySize,
            Timeout = timeout,
            EphemeralStorage = new { Size = ephemeralStorageMb },
            Code = new { ZipFile = Convert.ToBase64String(await File.ReadAllBytesAsync(zip)) },
        });
        using var request = Tools.Signed(Node.Endpoint, HttpMethod.Post, "/2015-03-31/functions", body);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Body, string? FunctionError, string Tail)> InvokeAsync(string name, object payload)
    {
        using var request = Tools.Signed(Node.Endpoint, HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations", JsonSerializer.SerializeToUtf8Bytes(payload));
        request.Headers.TryAddWithoutValidation("X-Amz-Log-Type", "Tail");
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var error = response.Headers.TryGetValues("X-Amz-Function-Error", out var errors) ? errors.First() : null;
        var tail = response.Headers.TryGetValues("X-Amz-Log-Result", out var logs) ? Encoding.UTF8.GetString(Convert.FromBase64String(logs.First())) : "";
        return (body, error, tail);
    }

    private async Task<string> SucceedsAsync(string name, object payload)
    {
        var (body, error, tail) = await InvokeAsync(name, payload);
        Assert.True(error is null, body + tail);
        return body;
    }

    private static JsonElement Json(string text) => Tools.Json(text);

    /// <summary>The Runtime API port of a running environment of the function, read from its process on the host; 0 when none runs.</summary>
    private static int RuntimeApiPortOf(string function) =>
        SandboxFiles.ProcessesOf(function).SelectMany(p => p.Variables).FirstOrDefault(v => v.StartsWith("AWS_LAMBDA_RUNTIME_API=", StringComparison.Ordinal)) is { } address
            ? int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Host processes of the function.</summary>
    private static int ProcessesOf(string function) => SandboxFiles.ProcessesOf(function).Count;
}
