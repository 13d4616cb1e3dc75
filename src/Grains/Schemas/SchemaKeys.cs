namespace LambdaCluster.Grains.Schemas;

/// <summary>Keys of the schema grains: a registry is <c>{account}/{registry}</c>, a schema <c>{account}/{registry}/{schema}</c>.</summary>
public static class SchemaKeys
{
    public static string Registry(string accountId, string registryName) => $"{accountId}/{registryName}";

    public static string Schema(string accountId, string registryName, string schemaName) => $"{accountId}/{registryName}/{schemaName}";

    /// <summary>The <see cref="Functions.IFunctionRegistryGrain"/> listing a registry's schema names.</summary>
    public static string SchemaNames(string accountId, string registryName) => $"{accountId}/schemas/{registryName}";
}
