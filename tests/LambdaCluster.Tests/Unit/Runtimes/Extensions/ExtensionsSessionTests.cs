using LambdaCluster.Runtimes.Extensions;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Extensions;

/// <summary>The Extensions API's lifecycle without processes: registration, the INIT and INVOKE barriers, SHUTDOWN, failures.</summary>
[Trait("Category", "Unit")]
public sealed class ExtensionsSessionTests
{
    private static readonly byte[] Registered = "{}"u8.ToArray();
    private static readonly byte[] InvokeEvent = "{\"eventType\":\"INVOKE\"}"u8.ToArray();
    private static readonly byte[] ShutdownEvent = "{\"eventType\":\"SHUTDOWN\"}"u8.ToArray();

    private static ExtensionsSession Session(params string[] externals) => new(externals, _ => Registered);

    [Fact]
    public void TheRuntimeWaits_UntilEveryExternalExtensionRegistered()
    {
        var session = Session("a", "b");
        Assert.False(session.ExternalsRegistered.IsCompleted);
        Assert.Equal(ExtensionsApiResultKind.Registered, session.Register("a", ["INVOKE"], false).Kind);
        Assert.False(session.ExternalsRegistered.IsCompleted);
        Assert.Equal(ExtensionsApiResultKind.Registered, session.Register("b", ["SHUTDOWN"], false).Kind);
        Assert.True(session.ExternalsRegistered.IsCompletedSuccessfully);
        Assert.Equal("Extension.InvalidExtensionState", session.Register("a", ["INVOKE"], false).ErrorType); // once
    }

    [Fact]
    public void Init_EndsWhenEveryRegisteredExtensionAskedForAnEvent_AndRegistrationThenCloses()
    {
        var session = Session("a");
        var a = session.Register("a", ["INVOKE", "SHUTDOWN"], false).Identifier!;
        var internalId = session.Register("in-process", ["INVOKE"], false).Identifier!;
        var ready = session.CloseRegistration();
        Assert.False(ready.IsCompleted);
        Assert.False(session.Next(a).NextEvent!.IsCompleted);
        Assert.False(ready.IsCompleted);
        session.Next(internalId);
        Assert.True(ready.IsCompletedSuccessfully);
        Assert.Equal("Extension.RegistrationClosed", session.Register("late", ["INVOKE"], false).ErrorType);
        Assert.True(session.HasInvokeSubscribers);
        Assert.Equal([("a", ExtensionState.Ready, (IReadOnlyList<string>)["INVOKE", "SHUTDOWN"]), ("in-process", ExtensionState.Ready, ["INVOKE"])],
            session.Describe().Select(d => (d.Name, d.State, d.Events)).ToList(), new DescribeComparer());
    }

    [Fact]
    public async Task Invoke_GoesToParkedAndLaterPolls_AndEndsWhenEachAskedAgain()
    {
        var session = Session("parked", "late");
        var parkedId = session.Register("parked", ["INVOKE"], false).Identifier!;
        var lateId = session.Register("late", ["INVOKE"], false).Identifier!;
        var parked = session.Next(parkedId).NextEvent!;
        var late = session.Next(lateId).NextEvent!;
        await session.CloseRegistration();
        session.Unpark(lateId, late); // its connection went away: the event waits for its next call

        var done = session.Invoke(InvokeEvent);
        Assert.Equal(InvokeEvent, await parked);
        Assert.Equal(InvokeEvent, await session.Next(lateId).NextEvent!); // handed over at once
        Assert.False(done.IsCompleted);
        session.Next(parkedId);
        Assert.False(done.IsCompleted);
        session.Next(lateId);
        Assert.True(done.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Shutdown_GoesToExternalSubscribers_AndEndsWhenTheirProcessesEnded_WithoutCallingItACrash()
    {
        var session = Session("logger", "invoke-only");
        var logger = session.Register("logger", ["SHUTDOWN"], false).Identifier!;
        var invokeOnly = session.Register("invoke-only", ["INVOKE"], false).Identifier!;
        var loggerNext = session.Next(logger).NextEvent!;
        session.Next(invokeOnly);
        await session.CloseRegistration();

        var done = session.Shutdown(ShutdownEvent);
        Assert.Equal(ShutdownEvent, await loggerNext);
        Assert.False(done.IsCompleted);
        session.Next(logger); // flushed and asks again: not yet gone
        Assert.False(done.IsCompleted);
        session.Exited("logger", "exit status 0");
        Assert.True(done.IsCompletedSuccessfully);
        Assert.False(session.Failed.IsCompleted);
    }

    [Fact]
    public async Task Failures_AreLambdasErrorTypes()
    {
        var crashed = Session("a");
        crashed.Exited("a", "exit status 3");
        Assert.Equal(new ExtensionFailure("Extension.Crash", "a", "a crashed: exit status 3"), await crashed.Failed);
        Assert.True(crashed.ExternalsRegistered.IsCompleted); // the runtime's start is not held by a dead extension

        var reported = Session("b");
        var b = reported.Register("b", [], false).Identifier!;
        Assert.Equal(ExtensionsApiResultKind.Accepted, reported.ReportError(b, "Extension.Oops", exit: false).Kind);
        Assert.Equal("Extension.InitError", (await reported.Failed).ErrorType);
        Assert.Equal("Extension.InvalidExtensionState", reported.Next(b).ErrorType);

        var exitError = Session("c");
        var c = exitError.Register("c", [], false).Identifier!;
        exitError.ReportError(c, "Extension.Oops", exit: true);
        Assert.Equal("Extension.ExitError", (await exitError.Failed).ErrorType);
    }

    [Fact]
    public void Registration_RefusesWhatLambdaRefuses()
    {
        var session = Session("ext");
        Assert.Equal("Extension.InvalidExtensionName", session.Register("", ["INVOKE"], false).ErrorType);
        Assert.Equal("Extension.InvalidEventType", session.Register("ext", ["INVOKE", "BOGUS"], false).ErrorType);
        Assert.Equal("Extension.InvalidEventType", session.Register("internal", ["SHUTDOWN"], false).ErrorType);
        for (var i = 1; i < ExtensionsSession.MaxExtensions; i++)
        {
            Assert.Equal(ExtensionsApiResultKind.Registered, session.Register($"internal-{i}", [], false).Kind);
        }

        Assert.Equal("Extension.TooManyExtensions", session.Register("one-too-many", [], false).ErrorType);
        Assert.Equal("Extension.InvalidExtensionState", session.Register("internal-1", [], false).ErrorType);
        Assert.Equal("Extension.UnknownExtensionIdentifier", session.Next(Guid.NewGuid().ToString()).ErrorType);
        Assert.Equal("Extension.UnknownExtensionIdentifier", session.ReportError(Guid.NewGuid().ToString(), "x", exit: false).ErrorType);
    }

    [Fact]
    public async Task Close_EndsEveryParkedPollWithNoEvent()
    {
        var session = Session("a");
        var next = session.Next(session.Register("a", ["INVOKE"], false).Identifier!).NextEvent!;
        session.Close();
        Assert.Null(await next);
    }

    [Theory]
    [InlineData(0, "exit status 0")]
    [InlineData(3, "exit status 3")]
    [InlineData(137, "signal: killed")]
    [InlineData(143, "signal: terminated")]
    public void ExitStatuses_AreWordedAsLambdaWordsThem(int status, string expected) => Assert.Equal(expected, ExternalExtensions.DescribeExit(status));

    [Fact]
    public void TheRuntimeCommand_IsWrappedOnlyWhenThereAreExtensions()
    {
        IReadOnlyList<string> runtime = ["/usr/bin/node", "/var/runtime/bootstrap.mjs"];
        Assert.Same(runtime, ExternalExtensions.Wrap(runtime, "/opt", []));
        var wrapped = ExternalExtensions.Wrap(runtime, "/opt", ["a", "b"]);
        Assert.Equal(["/bin/bash", "-c"], wrapped.Take(2));
        Assert.Equal(["lambda-extensions", "/opt/extensions/a", "/opt/extensions/b", "--", "/usr/bin/node", "/var/runtime/bootstrap.mjs"], wrapped.Skip(3));
        Assert.Contains("exec \"$@\"", wrapped[2], StringComparison.Ordinal);
    }

    private sealed class DescribeComparer : IEqualityComparer<(string Name, ExtensionState State, IReadOnlyList<string> Events)>
    {
        public bool Equals((string Name, ExtensionState State, IReadOnlyList<string> Events) x, (string Name, ExtensionState State, IReadOnlyList<string> Events) y) =>
            x.Name == y.Name && x.State == y.State && x.Events.SequenceEqual(y.Events);

        public int GetHashCode((string Name, ExtensionState State, IReadOnlyList<string> Events) obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
