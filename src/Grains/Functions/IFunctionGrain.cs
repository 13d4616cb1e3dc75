using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Functions;

/// <summary>
/// A function (key: its name): the source of truth for its configuration and code reference.
/// Every mutation persists before it returns and tells the function's pools.
/// Failures are <see cref="Errors.LambdaServiceException"/>s with Lambda's error types.
/// </summary>
[Alias("lambda.IFunctionGrain")]
public interface IFunctionGrain : IGrainWithStringKey
{
    [Alias("Create")] Task<FunctionDefinition> CreateAsync(FunctionDefinition definition);

    /// <summary>The definition, or null when the function does not exist.</summary>
    [Alias("Get")] Task<FunctionDefinition?> GetAsync();

    [Alias("UpdateCode")] Task<FunctionDefinition> UpdateCodeAsync(FunctionCodeUpdate update);

    [Alias("UpdateConfiguration")] Task<FunctionDefinition> UpdateConfigurationAsync(FunctionConfigurationUpdate update);

    [Alias("Delete")] Task DeleteAsync();

    /// <summary>What a pool needs to start environments for $LATEST; ResourceNotFound when the function does not exist.</summary>
    [Alias("GetEnvironmentSpec")] Task<EnvironmentSpec> GetEnvironmentSpecAsync();
}
