namespace LambdaCluster.Grains.Pool.KeepWarm;

/// <summary>An idle, ready environment as the <see cref="KeepWarmPlanner"/> sees it (provisioned ones are never its to let go).</summary>
/// <param name="Key">The environment's key, handed back in <see cref="KeepWarmDecision.LetGo"/>.</param>
/// <param name="IdleSince">When it went idle: its last invocation ended, or its pre-warm INIT did.</param>
/// <param name="Prewarmed">Started ahead of a predicted invocation and not used since.</param>
internal readonly record struct WarmEnvironment(string Key, DateTimeOffset IdleSince, bool Prewarmed);
