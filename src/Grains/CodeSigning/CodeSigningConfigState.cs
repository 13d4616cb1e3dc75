namespace LambdaCluster.Grains.CodeSigning;

[GenerateSerializer, Alias("lambda.code-signing-config-state")]
public sealed class CodeSigningConfigState
{
    /// <summary>Null when the configuration does not exist.</summary>
    [Id(0)] public CodeSigningConfigDefinition? Definition { get; set; }
}
