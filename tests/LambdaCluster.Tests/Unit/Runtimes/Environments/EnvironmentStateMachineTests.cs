using LambdaCluster.Runtimes.Environments;
using Xunit;
using static LambdaCluster.Runtimes.Environments.EnvironmentState;
using static LambdaCluster.Runtimes.Environments.EnvironmentTrigger;
using static LambdaCluster.Runtimes.Environments.InvocationStage;

namespace LambdaCluster.Tests.Unit.Runtimes.Environments;

[Trait("Category", "Unit")]
public sealed class EnvironmentStateMachineTests
{
    /// <summary>Every state the machine can be in, with the path that gets it there from Created.</summary>
    public static readonly (EnvironmentState State, InvocationStage Stage, EnvironmentTrigger[] Path)[] Reachable =
    [
        (Created, None, []),
        (Initializing, None, [Launch]),
        (Idle, None, [Launch, RuntimeReady]),
        (Invoking, Queued, [Launch, RuntimeReady, Invoke]),
        (Invoking, Running, [Launch, RuntimeReady, Invoke, EventTaken]),
        (Invoking, Streaming, [Launch, RuntimeReady, Invoke, EventTaken, StreamStarted]),
        (Invoking, Answered, [Launch, RuntimeReady, Invoke, EventTaken, Answer]),
        (Dead, None, [Fail]),
    ];

    /// <summary>The allowed transitions, written out independently of the machine's own table; everything else is denied.</summary>
    private static readonly Dictionary<(EnvironmentState, InvocationStage, EnvironmentTrigger), (EnvironmentState, InvocationStage)> Expected = new()
    {
        [(Created, None, Launch)] = (Initializing, None),
        [(Initializing, None, RuntimeReady)] = (Idle, None),
        [(Idle, None, Invoke)] = (Invoking, Queued),
        [(Invoking, Queued, EventTaken)] = (Invoking, Running),
        [(Invoking, Running, StreamStarted)] = (Invoking, Streaming),
        [(Invoking, Running, Answer)] = (Invoking, Answered),
        [(Invoking, Streaming, Answer)] = (Invoking, Answered),
        [(Invoking, Answered, Finish)] = (Idle, None),
        [(Created, None, Fail)] = (Dead, None),
        [(Initializing, None, Fail)] = (Dead, None),
        [(Idle, None, Fail)] = (Dead, None),
        [(Invoking, Queued, Fail)] = (Dead, None),
        [(Invoking, Running, Fail)] = (Dead, None),
        [(Invoking, Streaming, Fail)] = (Dead, None),
        [(Invoking, Answered, Fail)] = (Dead, None),
    };

    public static TheoryData<EnvironmentState, InvocationStage, EnvironmentTrigger> EveryStateAndTrigger()
    {
        var data = new TheoryData<EnvironmentState, InvocationStage, EnvironmentTrigger>();
        foreach (var (state, stage, _) in Reachable)
        {
            foreach (var trigger in Enum.GetValues<EnvironmentTrigger>())
            {
                data.Add(state, stage, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndTrigger))]
    public void TryFire_FromEveryState_AllowsExactlyTheTableAndDeniesTheRestWithoutChange(EnvironmentState state, InvocationStage stage, EnvironmentTrigger trigger)
    {
        var machine = At(state, stage);

        var fired = machine.TryFire(trigger);

        if (Expected.TryGetValue((state, stage, trigger), out var next))
        {
            Assert.True(fired);
            Assert.Equal(next, (machine.State, machine.Stage));
        }
        else
        {
            Assert.False(fired);
            Assert.Equal((state, stage), (machine.State, machine.Stage));
        }

        Assert.Equal(Expected.ContainsKey((state, stage, trigger)), EnvironmentStateMachine.IsAllowed(state, stage, trigger));
    }

    [Fact]
    public void ColdInvocationThenWarmOne_FollowsTheRuntimeApiContract()
    {
        var machine = new EnvironmentStateMachine();
        EnvironmentTrigger[] cold = [Launch, RuntimeReady, Invoke, EventTaken, Answer, Finish];
        EnvironmentTrigger[] warm = [Invoke, EventTaken, StreamStarted, Answer, Finish];

        Assert.All(cold.Concat(warm), t => Assert.True(machine.TryFire(t), $"{t} from {machine.State}/{machine.Stage}"));
        Assert.Equal((Idle, None), (machine.State, machine.Stage));
    }

    [Theory]
    [InlineData(Idle, None, true)]
    [InlineData(Invoking, Answered, true)]
    [InlineData(Invoking, Queued, false)]
    [InlineData(Invoking, Running, false)]
    [InlineData(Invoking, Streaming, false)]
    [InlineData(Created, None, false)]
    [InlineData(Dead, None, false)]
    public void RuntimeMayWait_OnlyWhenIdleOrAnswered(EnvironmentState state, InvocationStage stage, bool mayWait) =>
        Assert.Equal(mayWait, At(state, stage).RuntimeMayWait);

    private static EnvironmentStateMachine At(EnvironmentState state, InvocationStage stage)
    {
        var machine = new EnvironmentStateMachine();
        foreach (var trigger in Reachable.Single(r => r.State == state && r.Stage == stage).Path)
        {
            Assert.True(machine.TryFire(trigger));
        }

        return machine;
    }
}
