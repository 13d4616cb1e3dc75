namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// Why an image could not be had, in Lambda's StateReasonCode terms: <c>ImageDeleted</c> (the registry does not have the
/// image or one of its blobs), <c>ImageAccessDenied</c> (refused, or not reachable), <c>InvalidImage</c> (not a Linux
/// amd64 image this node can run, or over the size limit).
/// </summary>
public enum ImageFailure
{
    ImageDeleted,
    ImageAccessDenied,
    InvalidImage,
}
