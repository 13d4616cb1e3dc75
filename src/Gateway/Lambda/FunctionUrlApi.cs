using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Hosting;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Urls;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Create/Get/Update/Delete/ListFunctionUrlConfigs.</summary>
public sealed partial class FunctionUrlApi(IGrainFactory grains, IOptions<NodeOptions> node, IOptions<GatewayOptions> gateway)
{
    public async Task CreateAsync(HttpContext http, string functionName)
    {
        var (grain, qualifier, arn) = Target(http, functionName);
        var request = JsonBody.Read(http, LambdaJsonContext.Default.FunctionUrlConfigRequest);
        Validate(request, create: true);
        var setting = await grain.CreateUrlAsync(new FunctionUrlChange(qualifier, request.AuthType, Cors(request.Cors), request.InvokeMode));
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, Dto(setting, arn, view: "create"), LambdaJsonContext.Default.FunctionUrlConfigDto);
    }

    public async Task GetAsync(HttpContext http, string functionName)
    {
        var (grain, qualifier, arn) = Target(http, functionName);
        var setting = await grain.GetUrlAsync(qualifier) ?? throw NotFound();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(setting, arn, view: "get"), LambdaJsonContext.Default.FunctionUrlConfigDto);
    }

    public async Task UpdateAsync(HttpContext http, string functionName)
    {
        var (grain, qualifier, arn) = Target(http, functionName);
        var request = JsonBody.Read(http, LambdaJsonContext.Default.FunctionUrlConfigRequest);
        Validate(request, create: false);
        var setting = await grain.UpdateUrlAsync(new FunctionUrlChange(qualifier, request.AuthType, Cors(request.Cors), request.InvokeMode));
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(setting, arn, view: request.InvokeMode is null ? "update" : "get"), LambdaJsonContext.Default.FunctionUrlConfigDto);
    }

    public async Task DeleteAsync(HttpContext http, string functionName)
    {
        var (grain, qualifier, _) = Target(http, functionName);
        if (!await grain.DeleteUrlAsync(qualifier))
        {
            throw NotFound();
        }

        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    public async Task ListAsync(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name);
        var all = await grains.GetGrain<IFunctionGrain>(target.Name).ListUrlsAsync();
        var items = all.Select(u => Dto(u, u.Qualifier is null ? arn : FunctionArns.Qualified(arn, u.Qualifier), view: "get")).ToList();
        var (page, next) = ListPage.Of(http, items, i => i.FunctionUrl);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListFunctionUrlConfigsResponse(page, next), LambdaJsonContext.Default.ListFunctionUrlConfigsResponse);
    }

    /// <summary>The URL Lambda would hand out, served by this gateway under <see cref="GatewayOptions.UrlDomain"/>.</summary>
    public string PublicUrl(string urlId)
    {
        var listen = new Uri(gateway.Value.Url);
        return $"{listen.Scheme}://{urlId}.{gateway.Value.UrlDomain}:{listen.Port}/";
    }

    private (IFunctionGrain Grain, string? Qualifier, string Arn) Target(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        if (target.Qualifier is not null && !QualifierPattern().IsMatch(target.Qualifier))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException,
                $"1 validation error detected: Value '{target.Qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
        }

        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name);
        return (grains.GetGrain<IFunctionGrain>(target.Name), target.Qualifier, target.Qualifier is null ? arn : FunctionArns.Qualified(arn, target.Qualifier));
    }

    private static void Validate(FunctionUrlConfigRequest request, bool create)
    {
        if (request.AuthType is null && create)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null");
        }

        if (request.AuthType is not (null or "NONE" or "AWS_IAM"))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{request.AuthType}' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]");
        }

        if (request.InvokeMode is not (null or "BUFFERED" or "RESPONSE_STREAM"))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{request.InvokeMode}' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]");
        }

        if (request.Cors is { } cors && (cors.MaxAge is < 0 or > 86400 || cors.AllowMethods is { Count: > 6 } || cors.AllowOrigins is { Count: > 100 } || cors.AllowHeaders is { Count: > 100 } || cors.ExposeHeaders is { Count: > 100 }))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value at 'cors' failed to satisfy constraint: MaxAge 0-86400, at most 6 AllowMethods and 100 AllowOrigins, AllowHeaders, ExposeHeaders");
        }
    }

    private static FunctionUrlCors? Cors(CorsDto? cors) => cors is null ? null : new FunctionUrlCors
    {
        AllowCredentials = cors.AllowCredentials,
        AllowHeaders = cors.AllowHeaders,
        AllowMethods = cors.AllowMethods,
        AllowOrigins = cors.AllowOrigins,
        ExposeHeaders = cors.ExposeHeaders,
        MaxAge = cors.MaxAge,
    };

    private FunctionUrlConfigDto Dto(FunctionUrlSetting setting, string arn, string view) => new()
    {
        FunctionUrl = PublicUrl(setting.UrlId),
        FunctionArn = arn,
        AuthType = setting.AuthType,
        Cors = setting.Cors is { } c ? new CorsDto
        {
            AllowCredentials = c.AllowCredentials,
            AllowHeaders = c.AllowHeaders?.ToList(),
            AllowMethods = c.AllowMethods?.ToList(),
            AllowOrigins = c.AllowOrigins?.ToList(),
            ExposeHeaders = c.ExposeHeaders?.ToList(),
            MaxAge = c.MaxAge,
        } : null,
        CreationTime = FunctionConfigurations.Timestamp(setting.CreationTime),
        LastModifiedTime = view == "create" ? null : FunctionConfigurations.Timestamp(setting.LastModifiedTime),
        // Lambda's Create and Update answers omit InvokeMode unless it was given; Get always says it.
        InvokeMode = view == "get" ? setting.InvokeMode ?? "BUFFERED" : setting.InvokeMode,
    };

    private static LambdaServiceException NotFound() =>
        new(LambdaErrorType.ResourceNotFoundException, "The resource you requested does not exist.");

    [GeneratedRegex(@"^(?!\d+$)[0-9a-zA-Z\-_]+$")]
    private static partial Regex QualifierPattern();
}
