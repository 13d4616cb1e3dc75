namespace LambdaCluster.Grains.Permissions;

/// <summary>A resource's policy: its statements in the order they were added, and the revision that changes with each.</summary>
[GenerateSerializer, Immutable, Alias("lambda.resource-policy")]
public sealed record ResourcePolicy([property: Id(0)] IReadOnlyList<PolicyStatement> Statements, [property: Id(1)] string RevisionId);
