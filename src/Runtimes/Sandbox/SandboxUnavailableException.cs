namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>The host cannot sandbox an environment, and <c>Environments:Isolation=None</c> was not set: the function does not run.</summary>
public sealed class SandboxUnavailableException(string reason)
    : InvalidOperationException($"This node cannot sandbox functions ({reason}) and Environments:Isolation is not None, so it runs none.");
