namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's ImageConfigResponse: the function's ImageConfig, in a container image function's configuration.</summary>
public sealed record ImageConfigResponseDto(ImageConfigDto ImageConfig);
