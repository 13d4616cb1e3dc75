namespace LambdaCluster.Grains.Concurrency;

/// <summary>A PutProvisionedConcurrencyConfig as stored on the function.</summary>
[GenerateSerializer, Immutable, Alias("lambda.provisioned-concurrency-setting")]
public sealed record ProvisionedConcurrencySetting(
    [property: Id(0)] int Requested,
    [property: Id(1)] DateTimeOffset LastModified);
