namespace LambdaCluster.Grains.Images;

/// <summary>Why a silo could not pull an image: Lambda's StateReasonCode (ImageDeleted, ImageAccessDenied, InvalidImage) and its message.</summary>
[GenerateSerializer, Immutable, Alias("lambda.image-pull-failure")]
public sealed record ImagePullFailure([property: Id(0)] string ReasonCode, [property: Id(1)] string Message);
