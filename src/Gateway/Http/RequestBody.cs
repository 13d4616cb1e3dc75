namespace LambdaCluster.Gateway.Http;

/// <summary>The request body, read once by the gateway middleware (SigV4 needs its hash before any endpoint runs).</summary>
public sealed record RequestBody(byte[] Bytes);
