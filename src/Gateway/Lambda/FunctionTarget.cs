using LambdaCluster.Grains.Errors;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>The function and qualifier a request names, from its FunctionName path label and Qualifier query parameter.</summary>
public sealed record FunctionTarget(string Name, string? Qualifier)
{
    /// <summary>The version the qualifier selects ($LATEST when none); aliases are not served yet.</summary>
    public string Version => Qualifier ?? "$LATEST";

    public static FunctionTarget From(HttpContext http, string functionName, string region, string accountId)
    {
        var reference = FunctionReference.Parse(functionName, region, accountId);
        var queryQualifier = http.Request.Query["Qualifier"].FirstOrDefault();
        if (reference.Qualifier is not null && queryQualifier is not null && queryQualifier != reference.Qualifier)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "The derived qualifier from the function name does not match the specified qualifier.");
        }

        return new FunctionTarget(reference.Name, reference.Qualifier ?? queryQualifier);
    }
}
