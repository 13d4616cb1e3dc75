namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>GetPolicy's and GetLayerVersionPolicy's answer: the policy document as a JSON string and its revision.</summary>
public sealed record PolicyResponse(string Policy, string RevisionId);
