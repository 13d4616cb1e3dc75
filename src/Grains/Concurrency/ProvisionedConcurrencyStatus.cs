namespace LambdaCluster.Grains.Concurrency;

/// <summary>A provisioned concurrency config with how many of its environments are initialised (READY when all are).</summary>
[GenerateSerializer, Immutable, Alias("lambda.provisioned-concurrency-status")]
public sealed record ProvisionedConcurrencyStatus(
    [property: Id(0)] string Qualifier,
    [property: Id(1)] int Requested,
    [property: Id(2)] int Allocated,
    [property: Id(3)] int Available,
    [property: Id(4)] DateTimeOffset LastModified)
{
    public string Status => Available >= Requested ? "READY" : "IN_PROGRESS";
}
