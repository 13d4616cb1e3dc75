namespace LambdaCluster.LoadTest.KeepWarm;

/// <summary>
/// What one policy did over one trace. Warm seconds are environment-seconds kept idle and warm (after a call or a
/// pre-warm, until the next call or until let go); the wasted ones ended without a call.
/// </summary>
internal sealed record ReplayResult(IReadOnlyList<ReplayCall> Calls, int Prewarms, double WarmSeconds, double WastedWarmSeconds)
{
    public int ColdStarts => Calls.Count(c => c.Cold);

    public int PrewarmHits => Calls.Count(c => c.PrewarmHit);
}
