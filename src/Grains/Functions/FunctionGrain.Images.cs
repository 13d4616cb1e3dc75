using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Images;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Grains.Functions;

/// <summary>
/// Container image functions (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html): a new function is
/// Pending, and a new image's update InProgress, until this grain's silo has pulled and unpacked the image (other silos
/// pull on their first cold start of it); then Active / Successful, or Failed with Lambda's reason (ImageDeleted,
/// ImageAccessDenied, InvalidImage). While an update's image is pulled, and after it failed, the previous image runs.
/// </summary>
public sealed partial class FunctionGrain
{
    /// <summary>
    /// Flow: the image pinned at create or update → this silo's pull grain pulls it (a platform fault is tried again a few
    /// times, then fails it as InternalError) → the state and the pool follow.
    /// </summary>
    private async Task PullImageAsync()
    {
        if (state.State.Definition is not { IsImage: true, ResolvedImageUri: { } image })
        {
            return;
        }

        ImagePullFailure? failure = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                failure = await GrainFactory.GetGrain<IImagePullGrain>(EnvironmentKeys.Create(localSilo.SiloAddress)).PullAsync(image);
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogImagePullFailed(logger, e, Name, image);
                if (attempt == 3)
                {
                    // Not left InProgress (which takes no further update): failed as Lambda fails an update it could not apply.
                    failure = new ImagePullFailure("InternalError", "Lambda could not pull the function's image. Try the update again.");
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(5 * attempt), time);
            }
        }

        try
        {
            await RecordPullAsync(image, failure);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogImagePullFailed(logger, e, Name, image); // the function stays as it was; its next activation pulls again
        }
    }

    /// <summary>The pull's ending: $LATEST's state (or its update's) and its pool.</summary>
    private async Task RecordPullAsync(string image, ImagePullFailure? failure)
    {
        if (state.State.Definition is not { } current || current.ResolvedImageUri != image)
        {
            return; // deleted, or another image since
        }

        // A failed update is abandoned, as Lambda abandons it: the previous code and configuration are $LATEST again, with
        // the update's failure in LastUpdateStatus.
        var previous = state.State.PreviousLatest;
        state.State.Definition = (current.State, current.LastUpdateStatus, failure) switch
        {
            ("Pending", _, null) => current with { State = null, StateReasonCode = null, StateReason = null },
            ("Pending", _, { } f) => current with { State = "Failed", StateReasonCode = f.ReasonCode, StateReason = f.Message },
            (_, "InProgress", null) => current with
            {
                State = null, // a function whose creation failed is Active once an update's image is pulled
                StateReasonCode = null,
                StateReason = null,
                LastUpdateStatus = null,
                LastUpdateStatusReasonCode = null,
                LastUpdateStatusReason = null,
            },
            (_, "InProgress", { } f) => (previous ?? current) with
            {
                LastUpdateStatus = "Failed",
                LastUpdateStatusReasonCode = f.ReasonCode,
                LastUpdateStatusReason = f.Message,
                RevisionId = Guid.NewGuid().ToString(),
            },
            _ => current,
        };
        state.State.PreviousLatest = null;

        // A version published by the same create or update (Publish: true) waited on this image too.
        var waiting = state.State.Versions.Values.Where(v => v.ResolvedImageUri == image && (v.State == "Pending" || v.LastUpdateStatus == "InProgress")).ToList();
        foreach (var version in waiting)
        {
            state.State.Versions[version.Version] = version with
            {
                State = failure is null ? null : "Failed",
                StateReasonCode = failure?.ReasonCode,
                StateReason = failure?.Message,
                LastUpdateStatus = null,
                LastUpdateStatusReasonCode = null,
                LastUpdateStatusReason = null,
            };
        }

        await state.WriteStateAsync();
        await Task.WhenAll(waiting.Select(v => v.Version).Append("$LATEST").Select(v => Pool(v).ConfigureAsync(Settings(v))));
    }

    /// <summary>True when $LATEST waits for its image (created, or updated to a new one).</summary>
    private bool ImagePending => state.State.Definition is { IsImage: true } d && (d.State == "Pending" || d.LastUpdateStatus == "InProgress");

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Image of {FunctionName} ({Image}): the silo's image store could not be reached")]
    private static partial void LogImagePullFailed(ILogger logger, Exception exception, string functionName, string image);
}
