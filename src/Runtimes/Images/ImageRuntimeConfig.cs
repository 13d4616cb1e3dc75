namespace LambdaCluster.Runtimes.Images;

/// <summary>What an image's config blob says about running it (<c>config.Entrypoint</c>, <c>Cmd</c>, <c>Env</c>, <c>WorkingDir</c>), as the OCI image spec's config.md defines them.</summary>
public sealed record ImageRuntimeConfig(IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd, IReadOnlyList<string> Env, string? WorkingDir);
