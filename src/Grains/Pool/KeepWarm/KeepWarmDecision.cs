namespace LambdaCluster.Grains.Pool.KeepWarm;

/// <summary>What a pool does now about its idle environments (see <see cref="KeepWarmPlanner.Decide"/>).</summary>
/// <param name="LetGo">Keys of the idle environments whose window has passed: shut them down.</param>
/// <param name="Prewarm">Start one environment ahead of traffic now (and tell the planner with <see cref="KeepWarmPlanner.PrewarmStarted"/>).</param>
/// <param name="NextCheck">When to decide again (the next window to end or pre-warm to start), or null when nothing is due.</param>
internal sealed record KeepWarmDecision(IReadOnlyList<string> LetGo, bool Prewarm, DateTimeOffset? NextCheck);
