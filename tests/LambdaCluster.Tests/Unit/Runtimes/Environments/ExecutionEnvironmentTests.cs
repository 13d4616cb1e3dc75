using System.IO.Compression;
using System.Text;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Environments;

/// <summary>
/// One environment driven through every path of its life with a fake launcher, a fake clock and the test playing the
/// runtime on its Runtime API session: no process, no network, no waiting on the wall clock.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ExecutionEnvironmentTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly string _data = Directory.CreateTempSubdirectory("env-tests-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLauncher _launcher = new();
    private readonly MemoryCodeStore _code = new();
    private readonly RecordingLogStore _logs = new();
    private readonly List<string> _stopped = [];
    private readonly EnvironmentSpec _spec;
    private readonly EnvironmentServices _services;
    private readonly ExecutionEnvironment _environment;

    public ExecutionEnvironmentTests()
    {
        var zip = Zip();
        var hash = CodeHash.Of(zip);
        _code.PutAsync(hash.Hex, zip, CancellationToken.None).GetAwaiter().GetResult();
        _spec = new EnvironmentSpec
        {
            FunctionName = "fn",
            FunctionArn = "arn:aws:lambda:us-east-1:000000000000:function:fn",
            Version = "$LATEST",
            Runtime = "python3.12",
            Handler = "app.handler",
            MemorySize = 128,
            Timeout = 3,
            CodeSha256Hex = hash.Hex,
            Variables = new Dictionary<string, string>(),
            Revision = "r1",
            LogGroup = "/aws/lambda/fn",
            Region = "us-east-1",
        };
        var options = Options.Create(new EnvironmentOptions { InitTimeout = TimeSpan.FromSeconds(10), MaxConcurrentInits = 2 });
        _services = Services(options);
        RuntimeCatalog.TryGet("python3.12", out var runtime);
        _environment = new ExecutionEnvironment("0123456789abcdef0123456789abcdef", _spec, runtime, 9999, _services, e => _stopped.Add(e.Id));
    }

    private RuntimeApiSession Runtime => _environment.Session;

    [Fact]
    public async Task ColdInvocation_RuntimeAsksThenResponds_ReturnsTheResponse_ReportsInit_AndStaysWarm()
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var (launch, process, _) = await _launcher.Launched.WaitAsync(Patience);
        Assert.Equal(EnvironmentState.Initializing, _environment.State);
        Assert.Equal("on-demand", launch.InitializationType);
        Assert.False(process.InitBurstEnded); // INIT runs with its CPU burst

        var invocation = await NextAsync();
        Assert.True(process.InitBurstEnded); // ...and the invocation with the memory's share
        Assert.Equal("r-1", invocation.RequestId);
        Assert.Equal(_time.GetUtcNow().AddSeconds(3).ToUnixTimeMilliseconds(), invocation.DeadlineMs);
        Assert.Equal(RuntimePostOutcome.Accepted, Runtime.PostResponse("r-1", "\"done\""u8.ToArray(), "application/json"));
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.Response, result.Outcome);
        Assert.Equal("\"done\"", Encoding.UTF8.GetString(result.Payload));
        Assert.Null(result.FunctionError);
        Assert.Null(result.LogTail); // not asked for
        Assert.True(result.EnvironmentReusable);
        Assert.Equal(EnvironmentState.Idle, _environment.State);
        var lines = _logs.Lines;
        Assert.StartsWith("INIT_START Runtime Version: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("START RequestId: r-1 Version: $LATEST", lines[1]);
        Assert.Equal("END RequestId: r-1", lines[2]);
        Assert.Contains("\tInit Duration: ", lines[3], StringComparison.Ordinal);
        Assert.Empty(_stopped);
    }

    [Fact]
    public async Task WarmInvocation_FunctionError_KeepsTheEnvironment_AndTheTailHasTheInvocationsLines()
    {
        await WarmUpAsync();
        var parked = Runtime.Next(CancellationToken.None)!; // the runtime asks for the next event before the platform has one

        var call = _environment.InvokeAsync(Request("r-2", tail: true), CancellationToken.None);
        var invocation = (await parked.WaitAsync(Patience))!;
        Assert.Equal(RuntimePostOutcome.Accepted, Runtime.PostError(invocation.RequestId, "Exception", """{"errorType":"Exception","errorMessage":"boom"}"""u8.ToArray()));
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.True(result.EnvironmentReusable);
        Assert.Equal(EnvironmentState.Idle, _environment.State);
        var tail = Encoding.UTF8.GetString(Convert.FromBase64String(result.LogTail!));
        Assert.StartsWith("START RequestId: r-2 Version: $LATEST\n", tail, StringComparison.Ordinal);
        Assert.DoesNotContain("Init Duration", tail, StringComparison.Ordinal);
        Assert.Empty(_stopped);
    }

    [Fact]
    public async Task InitError_FailsTheInvocationWithTheRuntimesError_AndStopsTheEnvironment()
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var (_, process, _) = await _launcher.Launched.WaitAsync(Patience);

        Assert.Equal(RuntimePostOutcome.Accepted, Runtime.PostInitError("Runtime.ImportModuleError", """{"errorType":"Runtime.ImportModuleError","errorMessage":"No module named 'app'"}"""u8.ToArray()));
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.InitFailed, result.Outcome);
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Contains("Runtime.ImportModuleError", Encoding.UTF8.GetString(result.Payload), StringComparison.Ordinal);
        AssertStopped(process);
        Assert.Contains(_logs.Lines, l => l.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal) && l.EndsWith("\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.StartsWith("REPORT RequestId: r-1\t", StringComparison.Ordinal) && l.Contains("Status: error\tError Type: Runtime.ImportModuleError", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CrashDuringInit_IsRuntimeExitError_WithHowItExited()
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var (_, process, _) = await _launcher.Launched.WaitAsync(Patience);

        process.Exit("exit status 1");
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.InitFailed, result.Outcome);
        Assert.Equal("""{"errorType":"Runtime.ExitError","errorMessage":"RequestId: r-1 Error: Runtime exited with error: exit status 1"}""", Encoding.UTF8.GetString(result.Payload));
        AssertStopped(process);
    }

    [Fact]
    public async Task ShutdownDuringInit_IsTheNodesFailure_NotAnInitError()
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var (_, process, _) = await _launcher.Launched.WaitAsync(Patience);

        _environment.Shutdown("node stopping");
        var result = await call.WaitAsync(Patience);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.NodeLost), (result.Outcome, result.FailureReason));
        Assert.Null(result.FunctionError);
        AssertStopped(process);
    }

    [Fact]
    public async Task RuntimeThatNeverAsksForAnEvent_TimesOutInInit_AsSandboxTimedout()
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var (_, process, _) = await _launcher.Launched.WaitAsync(Patience);

        await AdvanceUntilAsync(call, TimeSpan.FromSeconds(10));
        var result = await call;

        Assert.Equal(InvocationOutcome.InitFailed, result.Outcome);
        Assert.Equal("""{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: r-1 Error: INIT phase timed out after 10.00 seconds"}""", Encoding.UTF8.GetString(result.Payload));
        AssertStopped(process);
        Assert.Contains(_logs.Lines, l => l.EndsWith("\tPhase: init\tStatus: timeout\tError Type: Sandbox.Timedout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FunctionTimeout_KillsTheProcess_AndReportsTimeout()
    {
        var process = await WarmUpAsync();
        var call = _environment.InvokeAsync(Request("r-2"), CancellationToken.None);
        await NextAsync();

        await AdvanceUntilAsync(call, TimeSpan.FromSeconds(3));
        var result = await call;

        Assert.Equal(InvocationOutcome.TimedOut, result.Outcome);
        Assert.Equal("""{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: r-2 Error: Task timed out after 3.00 seconds"}""", Encoding.UTF8.GetString(result.Payload));
        Assert.False(result.EnvironmentReusable);
        AssertStopped(process);
        Assert.Contains(_logs.Lines, l => l.EndsWith(" r-2 Task timed out after 3.00 seconds", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.StartsWith("REPORT RequestId: r-2\t", StringComparison.Ordinal) && l.EndsWith("Status: timeout\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessExitDuringInvocation_IsRuntimeExitError()
    {
        var process = await WarmUpAsync();
        var call = _environment.InvokeAsync(Request("r-2"), CancellationToken.None);
        await NextAsync();

        process.Exit("signal: segmentation fault");
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.Exited, result.Outcome);
        Assert.Equal("""{"errorType":"Runtime.ExitError","errorMessage":"RequestId: r-2 Error: Runtime exited with error: signal: segmentation fault"}""", Encoding.UTF8.GetString(result.Payload));
        AssertStopped(process);
    }

    [Fact]
    public async Task CallerLeaving_AbandonsTheInvocation_AndStopsTheFunction()
    {
        var process = await WarmUpAsync();
        using var caller = new CancellationTokenSource();
        var call = _environment.InvokeAsync(Request("r-2"), caller.Token);
        await NextAsync();

        await caller.CancelAsync();
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.Abandoned, result.Outcome);
        Assert.Null(result.FunctionError);
        AssertStopped(process);
    }

    [Fact]
    public async Task RuntimeRequestsOutOfTurn_AreRefused_AndChangeNothing()
    {
        await WarmUpAsync();
        var call = _environment.InvokeAsync(Request("r-2"), CancellationToken.None);
        Assert.Equal(RuntimePostOutcome.InvalidRequestId, Runtime.PostResponse("r-2", [], null)); // the runtime does not have it yet
        var invocation = await NextAsync();

        Assert.Null(Runtime.Next(CancellationToken.None)); // a second /next before answering the first
        Assert.Equal(RuntimePostOutcome.InvalidRequestId, Runtime.PostResponse("someone-else", [], null));
        Assert.Equal(RuntimePostOutcome.InvalidStateTransition, Runtime.PostInitError("Runtime.Late", []));
        Assert.Equal(RuntimePostOutcome.Accepted, Runtime.BeginStreamedResponse(invocation.RequestId, null, out var stream));
        Assert.Equal(RuntimePostOutcome.InvalidStateTransition, Runtime.PostResponse(invocation.RequestId, [], null)); // while it streams
        Assert.Equal(RuntimePostOutcome.Accepted, await stream!.CompleteAsync(null, null));
        Assert.Equal(RuntimePostOutcome.InvalidRequestId, Runtime.PostError(invocation.RequestId, "Late", [])); // already answered
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.Response, result.Outcome);
        Assert.True(result.Streamed);
        Assert.Equal(EnvironmentState.Idle, _environment.State);
    }

    [Fact]
    public async Task ResponseOverTheLimit_IsFunctionResponseSizeTooLarge_AndKeepsTheEnvironment()
    {
        await WarmUpAsync();
        var call = _environment.InvokeAsync(Request("r-2"), CancellationToken.None);
        await NextAsync();

        Assert.Equal(RuntimePostOutcome.PayloadTooLarge, Runtime.PostResponseTooLarge("r-2", 7_000_000));
        var result = await call.WaitAsync(Patience);

        Assert.Equal(InvocationOutcome.ResponseTooLarge, result.Outcome);
        Assert.Equal("""{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size (7000000 bytes) exceeded maximum allowed payload size (6291556 bytes)."}""", Encoding.UTF8.GetString(result.Payload));
        Assert.Equal(EnvironmentState.Idle, _environment.State);
    }

    [Fact]
    public async Task SecondInvocationWhileOneRuns_IsRefusedAsBusy_WithoutDisturbingTheFirst()
    {
        await WarmUpAsync();
        var first = _environment.InvokeAsync(Request("r-2"), CancellationToken.None);
        await NextAsync();

        var second = await _environment.InvokeAsync(Request("r-3"), CancellationToken.None);
        Runtime.PostResponse("r-2", "1"u8.ToArray(), null);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.EnvironmentBusy), (second.Outcome, second.FailureReason));
        Assert.Equal(InvocationOutcome.Response, (await first.WaitAsync(Patience)).Outcome);
    }

    [Fact]
    public async Task ShutdownWhileIdle_MakesTheNextInvocationFindItGone_WhichIsRetryable()
    {
        var process = await WarmUpAsync();

        _environment.Shutdown("test");
        var result = await _environment.InvokeAsync(Request("r-2"), CancellationToken.None);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.EnvironmentGone), (result.Outcome, result.FailureReason));
        Assert.True(PlatformFailures.Retryable(result.FailureReason));
        AssertStopped(process);
        Assert.Single(_stopped); // forgotten once
    }

    [Fact]
    public async Task ShutdownDuringAnInvocation_IsTheNodesFailure_NotTheFunctions()
    {
        // A node that stops kills what runs there: the caller is told to try again (NodeLost, a ServiceException), and an
        // asynchronous event goes back to its queue instead of using up a retry as a Runtime.ExitError would.
        var process = await WarmUpAsync();
        var running = _environment.InvokeAsync(Request("r-2"), CancellationToken.None);
        await NextAsync();

        _environment.Shutdown("node stopping");
        var result = await running.WaitAsync(Patience);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.NodeLost), (result.Outcome, result.FailureReason));
        Assert.Contains("was stopped (node stopping). Please try again.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Null(result.FunctionError);
        AssertStopped(process);
        Assert.Single(_stopped);
    }

    [Fact]
    public async Task MissingPackage_IsAPlatformFailure_ThatStopsTheEnvironment()
    {
        await _code.DeleteAsync(_spec.CodeSha256Hex, CancellationToken.None);

        var result = await _environment.InvokeAsync(Request("r-1"), CancellationToken.None);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.CodeUnavailable), (result.Outcome, result.FailureReason));
        Assert.False(PlatformFailures.Retryable(result.FailureReason));
        Assert.Equal(EnvironmentState.Dead, _environment.State);
        Assert.Single(_stopped);
        Assert.False(_launcher.Launched.IsCompleted);
    }

    [Fact]
    public async Task CodeStoreThrowing_IsAPlatformFailure_ThatStopsTheEnvironment()
    {
        _code.Failure = new IOException("disk gone");

        var result = await _environment.InvokeAsync(Request("r-1"), CancellationToken.None);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.CodeUnavailable), (result.Outcome, result.FailureReason));
        Assert.Single(_stopped);
    }

    [Fact]
    public async Task LauncherThrowing_IsAPlatformFailure_ThatStopsTheEnvironment()
    {
        _launcher.Failure = new InvalidOperationException("exec failed");

        var result = await _environment.InvokeAsync(Request("r-1"), CancellationToken.None);

        Assert.Equal((InvocationOutcome.PlatformFailure, PlatformFailureReason.LaunchFailed), (result.Outcome, result.FailureReason));
        Assert.Equal(EnvironmentState.Dead, _environment.State);
        Assert.Single(_stopped);
    }

    [Fact]
    public async Task Prepare_RunsInitAheadOfTraffic_AsProvisionedConcurrency_SoTheFirstReportHasNoInitDuration()
    {
        var (launch, parked) = await InitAheadAsync(_environment.PrepareAsync(CancellationToken.None));
        Assert.Equal("provisioned-concurrency", launch.InitializationType);
        Assert.True(_environment.Provisioned);

        await InvokeParkedAsync(parked);

        Assert.DoesNotContain(_logs.Lines, l => l.Contains("Init Duration", StringComparison.Ordinal) && l.StartsWith("REPORT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProvisionedConcurrencysInit_HasNoCpuBurst_AsInLambda()
    {
        var prepared = _environment.PrepareAsync(CancellationToken.None);
        var (_, process, _) = await _launcher.Launched.WaitAsync(Patience);
        var deadline = DateTime.UtcNow + Patience;
        while (!process.InitBurstEnded && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(process.InitBurstEnded);
        Assert.Equal(EnvironmentState.Initializing, _environment.State); // ended at the launch, not with INIT
        _ = Runtime.Next(CancellationToken.None);
        Assert.True(await prepared.WaitAsync(Patience));
    }

    [Fact]
    public async Task Prewarm_RunsAnOnDemandInitAheadOfTraffic_ChargingTheNodesBudgetUntilTheFirstInvocation()
    {
        var (launch, parked) = await InitAheadAsync(_environment.PrewarmAsync(CancellationToken.None));
        Assert.Equal("on-demand", launch.InitializationType); // as Lambda's proactive initialization
        Assert.False(_environment.Provisioned);
        Assert.Equal(128, _services.PrewarmBudget.UsedMb);

        await InvokeParkedAsync(parked);

        Assert.Equal(0, _services.PrewarmBudget.UsedMb); // used: an ordinary warm environment now
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("Init Duration", StringComparison.Ordinal) && l.StartsWith("REPORT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prewarm_BeyondTheNodesBudget_StartsNothing_AndStopsTheEnvironment()
    {
        var services = Services(Options.Create(new EnvironmentOptions { PrewarmBudgetMb = 100 }));
        RuntimeCatalog.TryGet("python3.12", out var runtime);
        var environment = new ExecutionEnvironment("fedcba9876543210fedcba9876543210", _spec, runtime, 9998, services, e => _stopped.Add(e.Id));

        Assert.False(await environment.PrewarmAsync(CancellationToken.None)); // 128 MB do not fit in 100

        Assert.Equal(["fedcba9876543210fedcba9876543210"], _stopped);
        Assert.Equal(EnvironmentState.Dead, environment.State);
        Assert.Equal(0, services.PrewarmBudget.UsedMb);
        Assert.False(_launcher.Launched.IsCompleted);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private EnvironmentServices Services(IOptions<EnvironmentOptions> options) =>
        new(_launcher, new NoCredentials(), new CodeCache(_code, Options.Create(new NodeOptions { DataDirectory = _data })), _logs, _time, options, NullLogger<ExecutionEnvironment>.Instance);

    /// <summary>A cold invocation answered, so the environment is warm and idle; returns its process.</summary>
    private async Task<FakeProcess> WarmUpAsync()
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var (_, process, _) = await _launcher.Launched.WaitAsync(Patience);
        var invocation = await NextAsync();
        Runtime.PostResponse(invocation.RequestId, "{}"u8.ToArray(), null);
        await call.WaitAsync(Patience);
        return process;
    }

    /// <summary>INIT ahead of traffic (provisioned or pre-warm) through to the runtime's first /next, which stays parked.</summary>
    private async Task<(LaunchRequest Launch, Task<ActiveInvocation?> Parked)> InitAheadAsync(Task<bool> initAhead)
    {
        var (launch, _, _) = await _launcher.Launched.WaitAsync(Patience);
        var parked = Runtime.Next(CancellationToken.None)!;
        Assert.True(await initAhead.WaitAsync(Patience));
        return (launch, parked);
    }

    /// <summary>One invocation, handed to the runtime parked in /next and answered.</summary>
    private async Task InvokeParkedAsync(Task<ActiveInvocation?> parked)
    {
        var call = _environment.InvokeAsync(Request("r-1"), CancellationToken.None);
        var invocation = (await parked.WaitAsync(Patience))!;
        Runtime.PostResponse(invocation.RequestId, "{}"u8.ToArray(), null);
        await call.WaitAsync(Patience);
    }

    /// <summary>The runtime's GET /next, answered with the queued event (at once, or once the platform queues it).</summary>
    private async Task<ActiveInvocation> NextAsync()
    {
        var next = Runtime.Next(CancellationToken.None) ?? throw new InvalidOperationException($"/next refused in state {_environment.State}");
        return await next.WaitAsync(Patience) ?? throw new InvalidOperationException("the environment shut down");
    }

    /// <summary>Moves the fake clock forward in small steps until <paramref name="call"/> ends (timers fire on the steps).</summary>
    private async Task AdvanceUntilAsync(Task call, TimeSpan atLeast)
    {
        var moved = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + Patience;
        while (!call.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            moved += TimeSpan.FromMilliseconds(250);
            await Task.Delay(5);
        }

        Assert.True(call.IsCompleted, $"the call did not end after {moved} of fake time");
        Assert.True(moved >= atLeast, $"the call ended after {moved}, before {atLeast}");
    }

    private void AssertStopped(FakeProcess process)
    {
        Assert.Equal(EnvironmentState.Dead, _environment.State);
        Assert.True(process.Killed, "the process was not killed");
        Assert.Equal(["0123456789abcdef0123456789abcdef"], _stopped);
    }

    private static InvocationRequest Request(string requestId, bool tail = false) => new()
    {
        RequestId = requestId,
        Payload = "{}"u8.ToArray(),
        InvokedFunctionArn = "arn:aws:lambda:us-east-1:000000000000:function:fn",
        TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
        WantsLogTail = tail,
    };

    private static byte[] Zip()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("app.py").Open();
            entry.Write("def handler(event, context):\n    return event\n"u8);
        }

        return buffer.ToArray();
    }
}
