using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// Get/PutRuntimeManagementConfig (<c>/2021-07-20/functions/{name}/runtime-management-config</c>): UpdateRuntimeOn Auto,
/// FunctionUpdate or Manual (with a RuntimeVersionArn), per $LATEST or published version. The setting is kept and
/// returned as Lambda does; this cluster runs one build of each runtime whatever it says.
/// </summary>
public sealed class RuntimeManagementApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    public async Task GetAsync(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        var setting = await grains.GetGrain<IFunctionGrain>(target.Name).GetRuntimeManagementAsync(target.Qualifier);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(target, setting), LambdaJsonContext.Default.RuntimeManagementConfigDto);
    }

    public async Task PutAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.RuntimeManagementConfigDto);
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        if (request.UpdateRuntimeOn is not ("Auto" or "Manual" or "FunctionUpdate"))
        {
            throw FunctionValidator.Validation(request.UpdateRuntimeOn ?? "null", "updateRuntimeOn",
                request.UpdateRuntimeOn is null ? "Member must not be null" : "Member must satisfy enum value set: [Auto, Manual, FunctionUpdate]");
        }

        if (request.RuntimeVersionArn is { } arn && (arn.Length is < 26 or > 2048 || !System.Text.RegularExpressions.Regex.IsMatch(arn, @"^arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}::runtime:.+$")))
        {
            throw FunctionValidator.Validation(arn, "runtimeVersionArn", @"Member must satisfy regular expression pattern: ^arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}::runtime:.+$");
        }

        if (request.UpdateRuntimeOn == "Manual" && request.RuntimeVersionArn is null)
        {
            throw new Grains.Errors.LambdaServiceException(Grains.Errors.LambdaErrorType.InvalidParameterValueException, "RuntimeVersionArn must be provided when UpdateRuntimeOn is Manual.");
        }

        if (request.UpdateRuntimeOn != "Manual" && request.RuntimeVersionArn is not null)
        {
            throw new Grains.Errors.LambdaServiceException(Grains.Errors.LambdaErrorType.InvalidParameterValueException, "RuntimeVersionArn can be provided only when UpdateRuntimeOn is Manual.");
        }

        var setting = await grains.GetGrain<IFunctionGrain>(target.Name).PutRuntimeManagementAsync(target.Qualifier, new RuntimeManagementSetting(request.UpdateRuntimeOn, request.RuntimeVersionArn));
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(target, setting), LambdaJsonContext.Default.RuntimeManagementConfigDto);
    }

    /// <summary>FunctionArn carries the version the setting is for ($LATEST when none was named).</summary>
    private RuntimeManagementConfigDto Dto(FunctionTarget target, RuntimeManagementSetting setting) => new()
    {
        UpdateRuntimeOn = setting.UpdateRuntimeOn,
        RuntimeVersionArn = setting.RuntimeVersionArn,
        FunctionArn = FunctionArns.Qualified(FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name), target.Qualifier ?? "$LATEST"),
    };
}
