namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The life of one execution environment as a pure state machine (the Runtime Interface Emulator's
/// <c>core/states.go</c> in shape): a state, the current invocation's stage while Invoking, and a table of the
/// transitions allowed; every other transition is denied. <see cref="EnvironmentTrigger.Fail"/> is allowed from
/// every state but Dead, which is never left. Not thread-safe: its owner serialises access. A transition cannot be
/// undone, so callers validate a request (its request id, its body) before firing.
/// </summary>
public sealed class EnvironmentStateMachine
{
    private static readonly Dictionary<(EnvironmentState, InvocationStage, EnvironmentTrigger), (EnvironmentState, InvocationStage)> Transitions = new()
    {
        [(EnvironmentState.Created, InvocationStage.None, EnvironmentTrigger.Launch)] = (EnvironmentState.Initializing, InvocationStage.None),
        [(EnvironmentState.Initializing, InvocationStage.None, EnvironmentTrigger.RuntimeReady)] = (EnvironmentState.Idle, InvocationStage.None),
        [(EnvironmentState.Idle, InvocationStage.None, EnvironmentTrigger.Invoke)] = (EnvironmentState.Invoking, InvocationStage.Queued),
        [(EnvironmentState.Invoking, InvocationStage.Queued, EnvironmentTrigger.EventTaken)] = (EnvironmentState.Invoking, InvocationStage.Running),
        [(EnvironmentState.Invoking, InvocationStage.Running, EnvironmentTrigger.StreamStarted)] = (EnvironmentState.Invoking, InvocationStage.Streaming),
        [(EnvironmentState.Invoking, InvocationStage.Running, EnvironmentTrigger.Answer)] = (EnvironmentState.Invoking, InvocationStage.Answered),
        [(EnvironmentState.Invoking, InvocationStage.Streaming, EnvironmentTrigger.Answer)] = (EnvironmentState.Invoking, InvocationStage.Answered),
        [(EnvironmentState.Invoking, InvocationStage.Answered, EnvironmentTrigger.Finish)] = (EnvironmentState.Idle, InvocationStage.None),
    };

    public EnvironmentState State { get; private set; } = EnvironmentState.Created;

    public InvocationStage Stage { get; private set; } = InvocationStage.None;

    /// <summary>
    /// True when the runtime may park on <c>GET /next</c> now: the environment is idle, or the current invocation is
    /// answered (the runtime asks for the next event while END and REPORT are being written).
    /// </summary>
    public bool RuntimeMayWait => State is EnvironmentState.Idle || Stage is InvocationStage.Answered;

    /// <summary>Whether <paramref name="trigger"/> is allowed from the given state and stage.</summary>
    public static bool IsAllowed(EnvironmentState state, InvocationStage stage, EnvironmentTrigger trigger) =>
        trigger == EnvironmentTrigger.Fail ? state != EnvironmentState.Dead : Transitions.ContainsKey((state, stage, trigger));

    /// <summary>Fires <paramref name="trigger"/> if it is allowed now; false (and no change) when it is not.</summary>
    public bool TryFire(EnvironmentTrigger trigger)
    {
        if (trigger == EnvironmentTrigger.Fail)
        {
            if (State == EnvironmentState.Dead)
            {
                return false;
            }

            (State, Stage) = (EnvironmentState.Dead, InvocationStage.None);
            return true;
        }

        if (!Transitions.TryGetValue((State, Stage, trigger), out var next))
        {
            return false;
        }

        (State, Stage) = next;
        return true;
    }
}
