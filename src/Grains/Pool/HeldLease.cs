namespace LambdaCluster.Grains.Pool;

/// <summary>
/// A lease as it goes back to its pool: the environment and the number of the grant. The pool ends a lease only when
/// the number is the one it last granted for that environment, so a release that arrives twice, late, or for a grant
/// the pool already took back can never free an environment someone else is using.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.held-lease")]
public sealed record HeldLease([property: Id(0)] string EnvironmentKey, [property: Id(1)] long LeaseId);
