using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Pollers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.EventSources;

/// <inheritdoc cref="IEventSourceMappingGrain"/>
[Reentrant, GrainType("event-source-mapping")]
public sealed class EventSourceMappingGrain(
    [PersistentState("event-source-mapping", GrainStorageNames.Functions)] IPersistentState<EventSourceMappingState> state,
    IServiceProvider services) : Grain, IEventSourceMappingGrain
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private IEventSourcePoller? _poller;

    public async Task<EventSourceMapping> PutAsync(EventSourceMapping mapping)
    {
        state.State.Mapping = mapping;
        await WriteAsync();
        await Registry.AddAsync(this.GetGrainId());
        Restart();
        return mapping;
    }

    public async Task<EventSourceMapping?> RetagAsync(IReadOnlyDictionary<string, string> added, IReadOnlyList<string> removed)
    {
        if (state.State.Mapping is not { } mapping)
        {
            return null;
        }

        state.State.Mapping = mapping with { Tags = Tagging.ResourceTags.Apply(mapping.Tags, added, removed) };
        await WriteAsync();
        return state.State.Mapping;
    }

    public Task<EventSourceMapping?> GetAsync() =>
        Task.FromResult(state.State.Mapping is { } mapping && _poller?.LastProcessingResult is { } result ? mapping with { LastProcessingResult = result } : state.State.Mapping);

    public async Task<EventSourceMapping?> DeleteAsync()
    {
        var mapping = state.State.Mapping;
        _poller?.Stop();
        _poller = null;
        if (mapping is not null)
        {
            await _writes.WaitAsync();
            try
            {
                await state.ClearStateAsync();
                state.State = new EventSourceMappingState();
            }
            finally
            {
                _writes.Release();
            }
        }

        await Registry.RemoveAsync(this.GetGrainId());
        DeactivateOnIdle();
        return mapping;
    }

    public Task EnsureRunningAsync()
    {
        if (_poller is null or { Running: false } && state.State.Mapping is { Enabled: true } mapping)
        {
            _poller = mapping.IsStream
                ? ActivatorUtilities.CreateInstance<KinesisPoller>(services, mapping, new Dictionary<int, string>(state.State.Checkpoints), (Func<int, string, Task>)SaveCheckpointAsync, GrainFactory)
                : ActivatorUtilities.CreateInstance<SqsPoller>(services, mapping, GrainFactory);
            _poller.Start();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _poller?.Stop();
        return Task.CompletedTask;
    }

    /// <summary>A stream shard's progress, persisted so that a restart or another silo resumes after it.</summary>
    private async Task SaveCheckpointAsync(int shard, string sequenceNumber)
    {
        if (state.State.Mapping is null)
        {
            return;
        }

        state.State.Checkpoints[shard] = sequenceNumber;
        await WriteAsync();
    }

    /// <summary>One write at a time: shard loops and API calls interleave in this reentrant grain.</summary>
    private async Task WriteAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writes.Release();
        }
    }

    private void Restart()
    {
        _poller?.Stop();
        _poller = null;
        _ = EnsureRunningAsync();
    }

    private IPollerRegistryGrain Registry => GrainFactory.GetGrain<IPollerRegistryGrain>(PollerRegistryGrain.Key);
}
