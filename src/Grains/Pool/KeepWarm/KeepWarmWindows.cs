namespace LambdaCluster.Grains.Pool.KeepWarm;

/// <summary>
/// How one idle period of a pool is covered, in the terms of Shahrad et al., "Serverless in the Wild", USENIX ATC 2020.
/// With a <see cref="Prewarm"/> window above zero, the idle environments are let go as the pool goes idle and one is
/// started again (INIT ahead of traffic) once the window has passed, then kept for <see cref="KeepAlive"/>; with none,
/// the idle environments are kept for <see cref="KeepAlive"/> from the moment each went idle.
/// </summary>
/// <param name="Prewarm">Time from the pool going idle to the pre-warm (zero: no pre-warm).</param>
/// <param name="KeepAlive">How long an environment is kept idle: from its pre-warm, or else from its last invocation.</param>
/// <param name="FromHistory">True when chosen from the idle-time histogram; false for the node's fixed keep-warm.</param>
internal readonly record struct KeepWarmWindows(TimeSpan Prewarm, TimeSpan KeepAlive, bool FromHistory)
{
    /// <summary>The node's fixed policy (<c>Environments:KeepWarm</c>): no pre-warm, kept for that long.</summary>
    public static KeepWarmWindows Fixed(TimeSpan keepWarm) => new(TimeSpan.Zero, keepWarm, FromHistory: false);
}
