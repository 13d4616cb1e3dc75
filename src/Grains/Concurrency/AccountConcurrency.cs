namespace LambdaCluster.Grains.Concurrency;

/// <summary>The account's concurrency limit and what reservations leave of it (GetAccountSettings).</summary>
[GenerateSerializer, Immutable, Alias("lambda.account-concurrency")]
public sealed record AccountConcurrency(
    [property: Id(0)] int ConcurrentExecutions,
    [property: Id(1)] int UnreservedConcurrentExecutions);
