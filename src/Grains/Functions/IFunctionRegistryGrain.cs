namespace LambdaCluster.Grains.Functions;

/// <summary>The account's function names, in order (key: account id). Backs ListFunctions.</summary>
[Alias("lambda.IFunctionRegistryGrain")]
public interface IFunctionRegistryGrain : IGrainWithStringKey
{
    [Alias("Add")] Task AddAsync(string functionName);

    [Alias("Remove")] Task RemoveAsync(string functionName);

    /// <summary>Up to <paramref name="maxItems"/> names after <paramref name="marker"/> (exclusive), in ordinal order.</summary>
    [Alias("List")] Task<IReadOnlyList<string>> ListAsync(string? marker, int maxItems);

    [Alias("Count")] Task<int> CountAsync();
}
