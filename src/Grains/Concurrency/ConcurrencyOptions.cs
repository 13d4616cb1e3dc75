namespace LambdaCluster.Grains.Concurrency;

/// <summary>Lambda's concurrency quotas for this cluster's one account (section <c>Concurrency</c>).</summary>
public sealed class ConcurrencyOptions
{
    public const string Section = "Concurrency";

    /// <summary>Concurrent executions of all functions together (Lambda's default quota is 1000).</summary>
    public int AccountLimit { get; set; } = 1000;

    /// <summary>What reserved concurrency must leave to the functions without a reservation (Lambda: 100).</summary>
    public int UnreservedMinimum { get; set; } = 100;

    /// <summary>New execution environments per function per <see cref="ScalingWindow"/> (Lambda: 1000 per 10 s, refilled continuously).</summary>
    public int ScalingRate { get; set; } = 1000;

    public TimeSpan ScalingWindow { get; set; } = TimeSpan.FromSeconds(10);
}
