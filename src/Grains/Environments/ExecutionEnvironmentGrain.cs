using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using Orleans.Placement;

namespace LambdaCluster.Grains.Environments;

/// <inheritdoc cref="IExecutionEnvironmentGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("execution-environment")]
public sealed class ExecutionEnvironmentGrain(EnvironmentSupervisor supervisor) : Grain, IExecutionEnvironmentGrain
{
    private IFunctionVersionGrain? _pool;

    private string EnvironmentId => EnvironmentKeys.EnvironmentId(this.GetPrimaryKeyString());

    public async Task<InvocationResult> InvokeAsync(EnvironmentLease lease, InvocationRequest request)
    {
        // Flow: find or create this node's environment → run the invocation there → tell the pool whether the
        // environment is still warm (one-way, so the caller is not held up). An environment that is already gone
        // surfaces as EnvironmentUnavailableException so the caller can lease another.
        var pool = _pool ??= GrainFactory.GetGrain<IFunctionVersionGrain>(lease.PoolKey);
        try
        {
            var environment = await supervisor.GetOrCreateAsync(EnvironmentId, lease.Spec, CancellationToken.None);
            var result = await environment.InvokeAsync(request, CancellationToken.None);
            await pool.ReleaseAsync(lease.EnvironmentKey, result.EnvironmentReusable);
            return result;
        }
        catch (EnvironmentUnavailableException)
        {
            await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            throw;
        }
    }

    public async IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(EnvironmentLease lease, InvocationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Flow: the invocation runs in the background writing into a small bounded channel (so a slow reader slows the
        // function's writes instead of piling up chunks here) → this method hands the channel's parts on as the caller
        // pulls them → the run adds the completion and releases the environment to the pool. The caller leaving early
        // cancels the run.
        var parts = Channel.CreateBounded<ResponseStreamPart>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = false });
        var abandon = new CancellationTokenSource();
        var run = RunStreamingAsync(lease, request, parts.Writer, abandon.Token);
        try
        {
            await foreach (var part in parts.Reader.ReadAllAsync(cancellationToken))
            {
                yield return part;
            }
        }
        finally
        {
            if (!run.IsCompleted)
            {
                abandon.Cancel();
            }

            _ = run.ContinueWith(_ => abandon.Dispose(), TaskScheduler.Default);
        }
    }

    private async Task RunStreamingAsync(EnvironmentLease lease, InvocationRequest request, ChannelWriter<ResponseStreamPart> parts, CancellationToken abandoned)
    {
        var pool = _pool ??= GrainFactory.GetGrain<IFunctionVersionGrain>(lease.PoolKey);
        try
        {
            var environment = await supervisor.GetOrCreateAsync(EnvironmentId, lease.Spec, CancellationToken.None);
            var result = await environment.InvokeAsync(request, abandoned, parts);
            await pool.ReleaseAsync(lease.EnvironmentKey, result.EnvironmentReusable);
            if (!result.Streamed && result.FunctionError is null)
            {
                // The runtime answered with a buffered /response: the whole answer is the one chunk.
                await parts.WriteAsync(ResponseStreamPart.Head(result.ContentType), abandoned);
                await parts.WriteAsync(ResponseStreamPart.Bytes(result.Payload), abandoned);
            }

            await parts.WriteAsync(ResponseStreamPart.Completed(result), abandoned);
            parts.TryComplete();
        }
        catch (EnvironmentUnavailableException e)
        {
            await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            parts.TryComplete(e);
        }
        catch (OperationCanceledException e)
        {
            parts.TryComplete(e);
        }
    }

    public async Task<bool> PrepareAsync(EnvironmentLease lease)
    {
        try
        {
            var environment = await supervisor.GetOrCreateAsync(EnvironmentId, lease.Spec, CancellationToken.None);
            return await environment.PrepareAsync(CancellationToken.None);
        }
        catch (EnvironmentUnavailableException)
        {
            return false;
        }
    }

    public Task ShutdownAsync(string reason)
    {
        if (supervisor.TryGet(EnvironmentId, out var environment))
        {
            environment.Shutdown(reason);
        }

        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
