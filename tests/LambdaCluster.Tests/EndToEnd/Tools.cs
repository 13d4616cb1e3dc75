using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LambdaCluster.Gateway.Auth;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>The real clients: the aws CLI and node scripts with the JavaScript SDK, against one node.</summary>
public static class Tools
{
    /// <summary>
    /// The aws CLI's own script. Where it is installed under pyenv, the <c>aws</c> first on PATH is pyenv's shim: a
    /// bash script that runs pyenv to find the script, which doubled every CLI call (about 0.5 s of CPU each).
    /// </summary>
    public static string Aws => AwsExecutable.Value;

    private static readonly Lazy<string> AwsExecutable = new(() =>
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "aws")).FirstOrDefault(File.Exists);
        if (onPath is null || !onPath.Contains("/shims/", StringComparison.Ordinal))
        {
            return "aws";
        }

        var pyenv = Process.Start(new ProcessStartInfo("pyenv", ["which", "aws"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var script = pyenv.StandardOutput.ReadToEnd().Trim();
        pyenv.WaitForExit();
        return pyenv.ExitCode == 0 && File.Exists(script) ? script : "aws";
    });

    public static string RepositoryFile(params string[] parts)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Cluster.sln")))
        {
            root = root.Parent!;
        }

        return Path.Combine([root.FullName, .. parts]);
    }

    /// <summary>
    /// Keeps a test node's log as TestResults/nodes/<paramref name="name"/>, where test.sh finds the warnings and errors to
    /// print when a test failed (a CI run's work folders are gone by the time anyone reads its output). Best effort.
    /// </summary>
    public static void KeepNodeLog(string name, Func<string> text)
    {
        try
        {
            var file = RepositoryFile("TestResults", "nodes", name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a diagnosis is lost.
        }
    }

    /// <summary>The aws CLI against a node (one of the running CLI servers, <see cref="AwsCliServer"/>), without retries.</summary>
    public static Task<ProcessResult> AwsAsync(NodeProcess node, params string[] arguments)
    {
        var environment = Credentials();
        environment["AWS_MAX_ATTEMPTS"] = "1";
        return AwsCliServer.RunAsync(["--endpoint-url", node.Endpoint, "--region", "us-east-1", "--output", "json", .. arguments], environment);
    }

    /// <summary>
    /// The aws CLI as a process of its own for this one call, as a user runs it: for calls that must start together (the CLI
    /// servers <see cref="AwsAsync"/> uses are shared, and a call may wait for a new one to start).
    /// </summary>
    public static Task<ProcessResult> AwsProcessAsync(NodeProcess node, params string[] arguments)
    {
        var environment = Credentials();
        environment["AWS_MAX_ATTEMPTS"] = "1";
        return RunAsync(Aws, ["--endpoint-url", node.Endpoint, "--region", "us-east-1", "--output", "json", .. arguments], environment);
    }

    /// <summary>The aws CLI against a node, failing the test (with the CLI's error) unless it succeeds; its JSON output.</summary>
    public static async Task<string> AwsOkAsync(NodeProcess node, params string[] arguments)
    {
        var result = await AwsAsync(node, arguments);
        Xunit.Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)}: {result.Stderr}");
        return result.Stdout;
    }

    public static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement;

    /// <summary>
    /// <c>aws logs filter-log-events</c>' events (an array), none while the log group does not exist yet (Lambda makes it
    /// with the function's first call): for tests that wait for a line.
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> LogEventsAsync(NodeProcess node, string logGroup, string filterPattern)
    {
        var result = await AwsAsync(node, "logs", "filter-log-events", "--log-group-name", logGroup, "--filter-pattern", filterPattern);
        if (result.ExitCode != 0 && result.Stderr.Contains("ResourceNotFoundException", StringComparison.Ordinal))
        {
            return Json("[]");
        }

        Xunit.Assert.True(result.ExitCode == 0, $"aws logs filter-log-events --log-group-name {logGroup}: {result.Stderr}");
        return Json(result.Stdout).GetProperty("events");
    }

    /// <summary>
    /// The aws CLI against any endpoint, as a process of its own (the local cluster's tests time their steps by it);
    /// <paramref name="maxAttempts"/> above 1 lets it retry 5xx and throttles as it does by default.
    /// </summary>
    public static Task<ProcessResult> AwsAtAsync(string endpoint, int maxAttempts, params string[] arguments)
    {
        var environment = Credentials();
        environment["AWS_MAX_ATTEMPTS"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return RunAsync(Aws, ["--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json", .. arguments], environment);
    }

    /// <summary>The Python interpreter the aws CLI runs on (it has boto3 and botocore), from its script's first line.</summary>
    public static string BotoPython => BotoPythonPath.Value;

    private static readonly Lazy<string> BotoPythonPath = new(() =>
    {
        var script = Aws != "aws" ? Aws : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "aws")).First(File.Exists);
        var shebang = File.ReadLines(script).First().TrimStart('#', '!').Trim().Split(' ');
        return shebang[0].EndsWith("/env", StringComparison.Ordinal) ? shebang[1] : shebang[0];
    });

    /// <summary>A Python script of EndToEnd/py run with boto3 against a node (its endpoint is the first argument).</summary>
    public static Task<ProcessResult> BotoScriptAsync(NodeProcess node, string script, params string[] arguments) =>
        RunAsync(BotoPython, [RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "py", script), node.Endpoint, .. arguments], Credentials());

    public static Task<ProcessResult> NodeScriptAsync(NodeProcess node, string script, params string[] arguments)
    {
        var environment = Credentials();
        environment["LAMBDA_ENDPOINT"] = node.Endpoint;
        environment["NODE_PATH"] = RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "node_modules");
        return RunAsync("node", [RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", script), .. arguments], environment);
    }

    /// <summary>
    /// A browser test of the web console (EndToEnd/js/console) against an endpoint: Debian's Chromium driven by
    /// playwright-core, saving a screenshot of each step under TestResults/console/<paramref name="artifacts"/> (emptied
    /// first), the folder the test's failure message and the issue notes point to.
    /// </summary>
    public static Task<ProcessResult> ConsoleScriptAsync(string endpoint, string script, string artifacts, params string[] arguments)
    {
        var folder = RepositoryFile("TestResults", "console", artifacts);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var environment = Credentials();
        environment["LAMBDA_ENDPOINT"] = endpoint;
        environment["CONSOLE_ARTIFACTS"] = folder;
        return RunAsync("node", [RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "console", script), .. arguments], environment);
    }

    /// <summary>
    /// aws CLI commands run one after another by one process (py/aws_batch.py: the CLI's own driver, so the same parsing,
    /// requests, errors and output), each result as <see cref="AwsAsync"/> would give it: for commands that need no
    /// answer of the one before, without paying the CLI's start for each.
    /// </summary>
    public static async Task<IReadOnlyList<ProcessResult>> AwsBatchAsync(NodeProcess node, params string[][] commands)
    {
        var input = System.Text.Json.JsonSerializer.Serialize(commands);
        var environment = Credentials();
        environment["AWS_MAX_ATTEMPTS"] = "1";
        var result = await RunAsync(BotoPython, [RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "py", "aws_batch.py"), node.Endpoint], environment, input);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws_batch.py failed: {result.Stderr}");
        }

        return [.. Json(result.Stdout).EnumerateArray().Select(r => new ProcessResult(r.GetProperty("rc").GetInt32(), r.GetProperty("stdout").GetString()!, r.GetProperty("stderr").GetString()!))];
    }

    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, Dictionary<string, string>? environment = null, string? input = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within 2 minutes.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A request signed as the SDKs sign them (SigV4, service lambda, key test/test), for calls the CLI cannot make fast enough.</summary>
    public static HttpRequestMessage Signed(string endpointUrl, HttpMethod method, string pathAndQuery, byte[] body, string accessKeyId = "test", string secretAccessKey = "test")
    {
        var endpoint = new Uri(endpointUrl);
        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var (path, query) = queryStart < 0 ? (pathAndQuery, "") : (pathAndQuery[..queryStart], pathAndQuery[(queryStart + 1)..]);
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var payloadHash = SigV4.PayloadHash(body);
        var scope = $"{amzDate[..8]}/us-east-1/lambda/aws4_request";
        var canonical = SigV4.CanonicalRequest(method.Method, path, query, [("host", $"{endpoint.Host}:{endpoint.Port}"), ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate)], payloadHash);
        var signature = SigV4.Signature(secretAccessKey, amzDate[..8], "us-east-1", "lambda", SigV4.StringToSign(amzDate, scope, canonical));
        var request = new HttpRequestMessage(method, new Uri(endpoint, pathAndQuery)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", $"{SigV4.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}");
        return request;
    }

    /// <summary>
    /// Waits (up to 10 minutes) for ./test.sh's background compile of aws-lambda-ric's native client to end, and fails with
    /// its log if it failed. Without that build in progress (node_modules installed another way), returns at once.
    /// </summary>
    public static async Task WaitForRuntimeInterfaceClientAsync()
    {
        var js = RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js");
        var (status, log) = (Path.Combine(js, ".ric-build"), Path.Combine(js, ".ric-build.log"));
        for (var waited = 0; File.Exists(log) && !File.Exists(status) && waited < 1200; waited++)
        {
            await Task.Delay(500);
        }

        if (File.Exists(log) && (!File.Exists(status) || (await File.ReadAllTextAsync(status)).Trim() != "0"))
        {
            Xunit.Assert.Fail("aws-lambda-ric's native client did not build: " + await File.ReadAllTextAsync(log));
        }
    }

    /// <summary>
    /// A package with index.mjs and the AWS SDK for JavaScript's <paramref name="package"/> (from the tests'
    /// node_modules, with its dependencies) bundled, as users deploy it.
    /// </summary>
    /// <summary>A counter or gauge of one function from the node's /metrics (Prometheus text); 0 when the series is not there.</summary>
    public static async Task<int> MetricAsync(NodeProcess node, string metric, string function)
    {
        using var http = new HttpClient();
        var series = $"{metric}{{otel_scope_name=\"LambdaCluster\",function_name=\"{function}\"}} ";
        var line = (await http.GetStringAsync($"{node.Endpoint}/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line[series.Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string SdkPackage(string directory, string handler, string package)
    {
        var modules = RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "node_modules");
        var zip = Path.Combine(directory, $"{Guid.NewGuid():N}.zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        var pending = new Stack<string>([package]);
        var packed = new HashSet<string>();
        while (pending.TryPop(out var next))
        {
            var root = Path.Combine(modules, next);
            if (!packed.Add(next) || !Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                archive.CreateEntryFromFile(file, $"node_modules/{next}/{Path.GetRelativePath(root, file)}").ExternalAttributes = 0b110_100_100 << 16;
            }

            var manifest = Json(File.ReadAllText(Path.Combine(root, "package.json")));
            if (manifest.TryGetProperty("dependencies", out var dependencies))
            {
                foreach (var dependency in dependencies.EnumerateObject())
                {
                    pending.Push(dependency.Name);
                }
            }
        }

        var entry = archive.CreateEntry("index.mjs");
        entry.ExternalAttributes = 0b110_100_100 << 16;
        using (var writer = new StreamWriter(entry.Open()))
        {
            writer.Write(handler);
        }

        return zip;
    }

    /// <summary>A deployment package from (name, content) pairs; names ending in bootstrap, and files in extensions/, are executable.</summary>
    public static string Zip(string directory, params (string Name, string Content)[] files)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.zip");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in files)
        {
            var entry = archive.CreateEntry(name);
            var executable = name.EndsWith("bootstrap", StringComparison.Ordinal) || name.StartsWith("extensions/", StringComparison.Ordinal);
            entry.ExternalAttributes = (executable ? 0b111_101_101 : 0b110_100_100) << 16;
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        return path;
    }

    private static Dictionary<string, string> Credentials() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/nonexistent/aws-config",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials",
        ["AWS_MAX_ATTEMPTS"] = "1",
    };
}
