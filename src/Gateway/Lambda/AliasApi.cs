using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Aliases;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases.</summary>
public sealed partial class AliasApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    public async Task CreateAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.CreateAliasRequest);
        AliasName(request.Name);
        VersionField(request.FunctionVersion, required: true);
        Common(request);
        var (grain, arn) = Function(http, functionName);
        var alias = await grain.CreateAliasAsync(new AliasChange(request.Name!, request.FunctionVersion, request.Description, request.RoutingConfig?.AdditionalVersionWeights, null));
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, Dto(arn, alias), LambdaJsonContext.Default.AliasConfigurationDto);
    }

    public async Task GetAsync(HttpContext http, string functionName, string name)
    {
        AliasName(name);
        var (grain, arn) = Function(http, functionName);
        var alias = await grain.GetAliasAsync(name)
            ?? throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"Cannot find alias arn: {FunctionArns.Qualified(arn, name)}");
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(arn, alias), LambdaJsonContext.Default.AliasConfigurationDto);
    }

    public async Task UpdateAsync(HttpContext http, string functionName, string name)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.CreateAliasRequest);
        AliasName(name);
        VersionField(request.FunctionVersion, required: false);
        Common(request);
        var (grain, arn) = Function(http, functionName);
        var alias = await grain.UpdateAliasAsync(new AliasChange(name, request.FunctionVersion, request.Description, request.RoutingConfig?.AdditionalVersionWeights ?? (request.RoutingConfig is null ? null : new Dictionary<string, double>()), request.RevisionId));
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(arn, alias), LambdaJsonContext.Default.AliasConfigurationDto);
    }

    public async Task DeleteAsync(HttpContext http, string functionName, string name)
    {
        AliasName(name);
        var (grain, _) = Function(http, functionName);
        await grain.DeleteAliasAsync(name);
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    public async Task ListAsync(HttpContext http, string functionName)
    {
        var version = http.Request.Query["FunctionVersion"].FirstOrDefault();
        VersionField(version, required: false);
        var (grain, arn) = Function(http, functionName);
        var all = await grain.ListAliasesAsync(version);
        var (page, next) = ListPage.Of(http, all, a => a.Name);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListAliasesResponse([.. page.Select(a => Dto(arn, a))], next), LambdaJsonContext.Default.ListAliasesResponse);
    }

    /// <summary>Aliases belong to the unqualified function.</summary>
    private (IFunctionGrain Grain, string Arn) Function(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        return (grains.GetGrain<IFunctionGrain>(target.Name), FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name));
    }

    private static AliasConfigurationDto Dto(string functionArn, AliasDefinition alias) => new()
    {
        AliasArn = FunctionArns.Qualified(functionArn, alias.Name),
        Name = alias.Name,
        FunctionVersion = alias.FunctionVersion,
        Description = alias.Description,
        RoutingConfig = alias.AdditionalVersion is null ? null : new AliasRoutingConfigurationDto { AdditionalVersionWeights = new() { [alias.AdditionalVersion] = alias.AdditionalWeight } },
        RevisionId = alias.RevisionId,
    };

    private static void Common(CreateAliasRequest request)
    {
        FunctionValidator.Description(request.Description);
        foreach (var (version, weight) in request.RoutingConfig?.AdditionalVersionWeights ?? [])
        {
            if (!VersionPattern().IsMatch(version) || version.Length > 1024)
            {
                throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{version}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]");
            }

            if (weight is < 0 or > 1 || double.IsNaN(weight))
            {
                throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{{{version}={weight}}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]");
            }
        }
    }

    private static void AliasName(string? name)
    {
        if (name is null)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
        }

        if (name.Length is < 1 or > 128 || !AliasPattern().IsMatch(name))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        }
    }

    private static void VersionField(string? version, bool required)
    {
        if (version is null)
        {
            if (required)
            {
                throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'functionVersion' failed to satisfy constraint: Member must not be null");
            }

            return;
        }

        if (version.Length is < 1 or > 1024 || !(version == "$LATEST" || VersionPattern().IsMatch(version)))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
        }
    }

    [GeneratedRegex(@"^(?!^[0-9]+$)[a-zA-Z0-9\-_]+$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex VersionPattern();
}
