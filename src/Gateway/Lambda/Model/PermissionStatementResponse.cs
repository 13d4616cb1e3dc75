namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>AddPermission's and AddLayerVersionPermission's answer: the statement as a JSON string (RevisionId for layers only).</summary>
public sealed record PermissionStatementResponse(string Statement, string? RevisionId = null);
