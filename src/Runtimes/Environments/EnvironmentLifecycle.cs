namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The allowed transitions of <see cref="EnvironmentState"/>, with every other transition denied.
/// Callers validate a request before transitioning, since a transition cannot be undone.
/// </summary>
public sealed class EnvironmentLifecycle
{
    private static readonly HashSet<(EnvironmentState From, EnvironmentState To)> Allowed =
    [
        (EnvironmentState.Created, EnvironmentState.Initializing),
        (EnvironmentState.Created, EnvironmentState.Dead),
        (EnvironmentState.Initializing, EnvironmentState.Idle),
        (EnvironmentState.Initializing, EnvironmentState.Dead),
        (EnvironmentState.Idle, EnvironmentState.Invoking),
        (EnvironmentState.Idle, EnvironmentState.Dead),
        (EnvironmentState.Invoking, EnvironmentState.Idle),
        (EnvironmentState.Invoking, EnvironmentState.Dead),
    ];

    public EnvironmentState State { get; private set; } = EnvironmentState.Created;

    public static bool IsAllowed(EnvironmentState from, EnvironmentState to) => Allowed.Contains((from, to));

    /// <summary>Moves to <paramref name="to"/> if that transition is allowed from the current state.</summary>
    public bool TryMoveTo(EnvironmentState to)
    {
        if (!IsAllowed(State, to))
        {
            return false;
        }

        State = to;
        return true;
    }
}
