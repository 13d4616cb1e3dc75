namespace LambdaCluster.Gateway.S3;

/// <summary>An S3 error (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html): status, code, message and the resource it is about.</summary>
public sealed class S3Exception(int status, string code, string message, string? resource = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? Resource { get; } = resource;

    public static S3Exception NoSuchBucket(string bucket) => new(404, "NoSuchBucket", "The specified bucket does not exist", bucket);

    public static S3Exception NoSuchKey(string key) => new(404, "NoSuchKey", "The specified key does not exist.", key);

    public static S3Exception MalformedXml() => new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

    public static S3Exception InvalidArgument(string message) => new(400, "InvalidArgument", message);
}
