namespace LambdaCluster.Grains.Functions;

/// <summary>
/// Keys of name registries (<see cref="IFunctionRegistryGrain"/>): the account id for its functions,
/// <c>{account}/layers</c> for its layers, <c>{account}/queues</c> for its queues. One grain type keeps every ordered name list of an account.
/// </summary>
public static class RegistryKeys
{
    public static string Functions(string accountId) => accountId;

    public static string Layers(string accountId) => $"{accountId}/layers";

    public static string Queues(string accountId) => $"{accountId}/queues";

    public static string EventSourceMappings(string accountId) => $"{accountId}/event-source-mappings";

    public static string Streams(string accountId) => $"{accountId}/streams";

    public static string CodeSigningConfigs(string accountId) => $"{accountId}/code-signing-configs";
}
