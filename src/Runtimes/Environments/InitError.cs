namespace LambdaCluster.Runtimes.Environments;

/// <summary>Why INIT ended without the runtime asking for an event: what it posted to <c>/init/error</c>, or the platform's reason.</summary>
internal sealed record InitError(string ErrorType, byte[] Body);
