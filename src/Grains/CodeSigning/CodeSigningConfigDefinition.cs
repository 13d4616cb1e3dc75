namespace LambdaCluster.Grains.CodeSigning;

/// <summary>
/// A code signing configuration (Lambda API: CodeSigningConfig): the signing profile versions whose signatures are
/// trusted, and what a deployment of an untrusted package does (Warn or Enforce).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.code-signing-config")]
public sealed record CodeSigningConfigDefinition
{
    /// <summary><c>csc-</c> and 17 lower-case letters and digits.</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Arn { get; init; }

    [Id(2)] public string Description { get; init; } = "";

    /// <summary>1-20 signing profile version ARNs.</summary>
    [Id(3)] public required IReadOnlyList<string> SigningProfileVersionArns { get; init; }

    /// <summary>Warn (the default) or Enforce.</summary>
    [Id(4)] public string UntrustedArtifactOnDeployment { get; init; } = "Warn";

    [Id(5)] public required DateTimeOffset LastModified { get; init; }

    [Id(6)] public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
