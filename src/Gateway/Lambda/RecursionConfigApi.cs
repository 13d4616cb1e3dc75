using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// Get/PutFunctionRecursionConfig (<c>/2024-08-31/functions/{name}/recursion-config</c>): RecursiveLoop Terminate (the
/// default) or Allow, on the unqualified function only.
/// </summary>
public sealed class RecursionConfigApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    /// <summary>200 <c>{"RecursiveLoop": "Terminate"|"Allow"}</c>.</summary>
    public async Task GetAsync(HttpContext http, string functionName)
    {
        var loop = await Function(functionName).GetRecursiveLoopAsync();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new RecursionConfigDto { RecursiveLoop = loop }, LambdaJsonContext.Default.RecursionConfigDto);
    }

    /// <summary>200 with the setting; ValidationException for a RecursiveLoop outside the enum.</summary>
    public async Task PutAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.RecursionConfigDto);
        var function = Function(functionName);
        if (request.RecursiveLoop is not ("Allow" or "Terminate"))
        {
            throw FunctionValidator.Validation(request.RecursiveLoop ?? "null", "recursiveLoop", request.RecursiveLoop is null ? "Member must not be null" : "Member must satisfy enum value set: [Allow, Terminate]");
        }

        var loop = await function.PutRecursiveLoopAsync(request.RecursiveLoop);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new RecursionConfigDto { RecursiveLoop = loop }, LambdaJsonContext.Default.RecursionConfigDto);
    }

    /// <summary>The model's UnqualifiedFunctionName: a name or ARN without a qualifier.</summary>
    private IFunctionGrain Function(string functionName)
    {
        var reference = FunctionReference.Parse(functionName, node.Value.Region, node.Value.AccountId);
        if (reference.Qualifier is not null)
        {
            throw FunctionValidator.Validation(functionName, "functionName", "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)");
        }

        return grains.GetGrain<IFunctionGrain>(reference.Name);
    }
}
