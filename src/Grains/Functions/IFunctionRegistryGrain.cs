namespace LambdaCluster.Grains.Functions;

/// <summary>An ordered list of names of one kind in one account (key: <see cref="RegistryKeys"/>). Backs ListFunctions and ListLayers.</summary>
[Alias("lambda.IFunctionRegistryGrain")]
public interface IFunctionRegistryGrain : IGrainWithStringKey
{
    [Alias("Add")] Task AddAsync(string functionName);

    [Alias("Remove")] Task RemoveAsync(string functionName);

    /// <summary>Up to <paramref name="maxItems"/> names after <paramref name="marker"/> (exclusive), in ordinal order.</summary>
    [Alias("List")] Task<IReadOnlyList<string>> ListAsync(string? marker, int maxItems);

    [Alias("Count")] Task<int> CountAsync();
}
