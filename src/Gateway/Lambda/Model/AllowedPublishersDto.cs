namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>The signing profile versions a code signing configuration trusts (1-20).</summary>
public sealed class AllowedPublishersDto
{
    public List<string>? SigningProfileVersionArns { get; init; }
}
