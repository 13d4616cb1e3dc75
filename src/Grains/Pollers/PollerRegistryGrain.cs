using LambdaCluster.Grains.Functions;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Grains.Pollers;

/// <inheritdoc cref="IPollerRegistryGrain"/>
[GrainType("poller-registry")]
public sealed partial class PollerRegistryGrain(
    [PersistentState("pollers", GrainStorageNames.Functions)] IPersistentState<PollerRegistryState> state,
    ILogger<PollerRegistryGrain> logger) : Grain, IPollerRegistryGrain
{
    public const string Key = "pollers";

    public async Task AddAsync(GrainId poller)
    {
        if (state.State.Pollers.Add(poller.ToString()))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(GrainId poller)
    {
        if (state.State.Pollers.Remove(poller.ToString()))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task WakeAllAsync()
    {
        var wakes = state.State.Pollers.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrain<IPollerGrain>(GrainId.Parse(id)).EnsureRunningAsync();
            }
            catch (Exception e)
            {
                LogWakeFailed(logger, e, id);
            }
        });
        await Task.WhenAll(wakes);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Poller {Poller} could not be woken")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string poller);
}
