using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Snapshots;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Grains.Functions;

/// <summary>
/// SnapStart (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html): a version published with
/// <c>SnapStart.ApplyOn = PublishedVersions</c> is Pending until its snapshot is made on this grain's silo (other
/// silos make theirs on their first cold start of it), then Active; Failed when the snapshot's INIT failed.
/// </summary>
public sealed partial class FunctionGrain
{
    private const string SnapshotPendingReason = "Lambda is creating the snapshot of this version (SnapStart).";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A silo that stopped while a snapshot was being made left its version Pending: make it again.
        foreach (var pending in state.State.Versions.Values.Where(v => v.State == "Pending" && v.SnapStartOn).Select(v => v.Version).ToList())
        {
            _ = MakeSnapshotAsync(pending);
        }

        if (ImagePending)
        {
            _ = PullImageAsync(); // likewise for an image that was being pulled
        }

        return base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// Flow: the version's spec → this silo's snapshot grain makes the template (a platform fault is tried again a few
    /// times; the version stays Pending, and its next activation tries again) → the version becomes Active, or Failed with
    /// its INIT's error → its pool learns the new state.
    /// </summary>
    private async Task MakeSnapshotAsync(string version)
    {
        string? error = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var spec = state.State.Versions[version].ToEnvironmentSpec();
                error = await GrainFactory.GetGrain<ISnapshotGrain>(EnvironmentKeys.Create(localSilo.SiloAddress)).PrepareAsync(spec);
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogSnapshotFailed(logger, e, Name, version);
                if (attempt == 3 || !state.State.Versions.ContainsKey(version))
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(5 * attempt), time);
            }
        }

        if (!state.State.Versions.TryGetValue(version, out var current) || current.State != "Pending")
        {
            return; // deleted meanwhile
        }

        state.State.Versions[version] = error is null
            ? current with { State = null, StateReasonCode = null, StateReason = null }
            : current with
            {
                State = "Failed",
                StateReasonCode = error == "Sandbox.Timedout" ? "FunctionError.InitTimeout" : "FunctionError",
                StateReason = $"The snapshot of this version could not be made: its INIT failed with {error}.",
            };
        await state.WriteStateAsync();
        await Pool(version).ConfigureAsync(Settings(version));
    }

    /// <summary>Stops the templates of a deleted version (every version: null) on every silo.</summary>
    private async Task ForgetSnapshotsAsync(string? version)
    {
        try
        {
            var silos = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            await Task.WhenAll(silos.Keys.Select(silo => GrainFactory.GetGrain<ISnapshotGrain>(EnvironmentKeys.Create(silo)).ForgetAsync(Name, version)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogSnapshotFailed(logger, e, Name, version ?? "*"); // its templates go when their nodes stop
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "SnapStart snapshot of {FunctionName}:{Version}: the silo's templates could not be reached")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string functionName, string version);
}
