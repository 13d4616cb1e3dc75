namespace LambdaCluster.Grains.CodeSigning;

/// <summary>One code signing configuration (key: its id, <c>csc-...</c>).</summary>
[Alias("lambda.ICodeSigningConfigGrain")]
public interface ICodeSigningConfigGrain : IGrainWithStringKey
{
    /// <summary>Stores a new configuration and lists it in the account's registry.</summary>
    [Alias("Create")] Task<CodeSigningConfigDefinition> CreateAsync(CodeSigningConfigDefinition definition);

    /// <summary>The configuration, or null when it does not exist.</summary>
    [Alias("Get")] Task<CodeSigningConfigDefinition?> GetAsync();

    /// <summary>Replaces the configuration (already merged by the caller); ResourceNotFound when it does not exist.</summary>
    [Alias("Update")] Task<CodeSigningConfigDefinition> UpdateAsync(CodeSigningConfigDefinition definition);

    /// <summary>Deletes it; false when it did not exist.</summary>
    [Alias("Delete")] Task<bool> DeleteAsync();
}
