namespace LambdaCluster.LoadTest.KeepWarm;

/// <summary>One call of a replay: when, whether an environment was waiting (and whether it was pre-warmed), and the windows chosen after it.</summary>
internal sealed record ReplayCall(TimeSpan At, bool Cold, bool PrewarmHit, string After);
