namespace LambdaCluster.Runtimes.Environments;

/// <summary>The error document Lambda returns for platform-level invocation failures.</summary>
public sealed record ErrorDocumentBody(string ErrorType, string ErrorMessage);
