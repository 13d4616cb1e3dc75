namespace LambdaCluster.Grains.Concurrency;

[GenerateSerializer, Alias("lambda.account-concurrency-state")]
public sealed class AccountConcurrencyState
{
    /// <summary>Reserved concurrency by function name.</summary>
    [Id(0)] public Dictionary<string, int> Reserved { get; set; } = new(StringComparer.Ordinal);
}
