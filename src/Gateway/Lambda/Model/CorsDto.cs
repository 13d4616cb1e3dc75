namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record CorsDto
{
    public bool? AllowCredentials { get; init; }
    public List<string>? AllowHeaders { get; init; }
    public List<string>? AllowMethods { get; init; }
    public List<string>? AllowOrigins { get; init; }
    public List<string>? ExposeHeaders { get; init; }
    public int? MaxAge { get; init; }
}
