using System.Text.RegularExpressions;
using LambdaCluster.Grains.Errors;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// A FunctionName path label as clients send it: a name, <c>name:qualifier</c>, a partial ARN
/// (<c>123456789012:function:name</c>) or a full ARN, each optionally qualified.
/// </summary>
public sealed partial record FunctionReference(string Name, string? Qualifier)
{
    public static FunctionReference Parse(string raw, string region, string accountId)
    {
        var match = Pattern().Match(raw);
        if (raw.Length is 0 or > 140 || !match.Success)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException,
                $"1 validation error detected: Value '{raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
        }

        var name = match.Groups["name"].Value;
        if (name.Length > 64)
        {
            // The model allows 140 characters (an ARN); the name within is Lambda's own check.
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64");
        }

        var arnRegion = match.Groups["region"].Value.TrimEnd(':');
        if (arnRegion.Length > 0 && arnRegion != region)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"Functions from '{arnRegion}' are not reachable in this region ('{region}')");
        }

        var account = match.Groups["account"].Value.TrimEnd(':');
        if (account.Length > 0 && account != accountId)
        {
            // Another account's function: IAM refuses before Lambda looks.
            throw new LambdaServiceException(LambdaErrorType.AccessDeniedException,
                $"User: arn:aws:iam::{accountId}:root is not authorized to perform this action on resource: {raw} because no resource-based policy allows it");
        }

        var qualifier = match.Groups["qualifier"].Success ? match.Groups["qualifier"].Value : null;
        return new FunctionReference(name, qualifier);
    }

    [GeneratedRegex(@"^(arn:(aws[a-zA-Z-]*)?:lambda:)?(?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(?<account>\d{12}:)?(function:)?(?<name>[a-zA-Z0-9-_]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$")]
    private static partial Regex Pattern();
}
