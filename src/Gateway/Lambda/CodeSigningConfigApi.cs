using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.CodeSigning;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// Code signing configurations and their use by functions: Create/Get/Update/Delete/ListCodeSigningConfigs,
/// ListFunctionsByCodeSigningConfig (<c>/2020-04-22/code-signing-configs</c>) and Put/Get/DeleteFunctionCodeSigningConfig
/// (<c>/2020-06-30/functions/{name}/code-signing-config</c>), with the model's shapes and constraints. Packages are
/// checked against a function's configuration at deployment by <see cref="CodeSigning.CodeVerifier"/>.
/// </summary>
public sealed partial class CodeSigningConfigApi(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    private string AccountId => node.Value.AccountId;

    /// <summary>201 <c>{"CodeSigningConfig": ...}</c>.</summary>
    public async Task CreateAsync(HttpContext http)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.CodeSigningConfigRequest);
        var arns = Publishers(request.AllowedPublishers) ?? throw FunctionValidator.Validation("null", "allowedPublishers", "Member must not be null");
        var id = NewId();
        var definition = new CodeSigningConfigDefinition
        {
            Id = id,
            Arn = $"arn:aws:lambda:{node.Value.Region}:{AccountId}:code-signing-config:{id}",
            Description = Description(request.Description) ?? "",
            SigningProfileVersionArns = arns,
            UntrustedArtifactOnDeployment = Policy(request.CodeSigningPolicies) ?? "Warn",
            LastModified = time.GetUtcNow(),
            Tags = TagsApi.Validated(request.Tags),
        };
        var created = await grains.GetGrain<ICodeSigningConfigGrain>(id).CreateAsync(definition);
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, new CodeSigningConfigResponse(Dto(created)), LambdaJsonContext.Default.CodeSigningConfigResponse);
    }

    public async Task GetAsync(HttpContext http, string arn)
    {
        var definition = await ExistingAsync(arn, LambdaErrorType.ResourceNotFoundException);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new CodeSigningConfigResponse(Dto(definition)), LambdaJsonContext.Default.CodeSigningConfigResponse);
    }

    public async Task UpdateAsync(HttpContext http, string arn)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.CodeSigningConfigRequest);
        var current = await ExistingAsync(arn, LambdaErrorType.ResourceNotFoundException);
        var updated = current with
        {
            Description = Description(request.Description) ?? current.Description,
            SigningProfileVersionArns = Publishers(request.AllowedPublishers) ?? current.SigningProfileVersionArns,
            UntrustedArtifactOnDeployment = Policy(request.CodeSigningPolicies) ?? current.UntrustedArtifactOnDeployment,
            LastModified = time.GetUtcNow(),
        };
        updated = await grains.GetGrain<ICodeSigningConfigGrain>(current.Id).UpdateAsync(updated);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new CodeSigningConfigResponse(Dto(updated)), LambdaJsonContext.Default.CodeSigningConfigResponse);
    }

    /// <summary>204; ResourceConflict while functions use it.</summary>
    public async Task DeleteAsync(HttpContext http, string arn)
    {
        var current = await ExistingAsync(arn, LambdaErrorType.ResourceNotFoundException);
        var users = await FunctionsUsingAsync(current.Arn);
        if (users.Count > 0)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                $"The code signing configuration cannot be deleted because it is used by the following functions: [{string.Join(", ", users)}].");
        }

        await grains.GetGrain<ICodeSigningConfigGrain>(current.Id).DeleteAsync();
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    public async Task ListAsync(HttpContext http)
    {
        var ids = await grains.GetGrain<IFunctionRegistryGrain>(RegistryKeys.CodeSigningConfigs(AccountId)).ListAsync(null, int.MaxValue);
        var definitions = (await Task.WhenAll(ids.Select(id => grains.GetGrain<ICodeSigningConfigGrain>(id).GetAsync()))).OfType<CodeSigningConfigDefinition>().ToList();
        var (page, next) = ListPage.Of(http, definitions, d => d.Id);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListCodeSigningConfigsResponse([.. page.Select(Dto)], next), LambdaJsonContext.Default.ListCodeSigningConfigsResponse);
    }

    public async Task ListFunctionsAsync(HttpContext http, string arn)
    {
        var current = await ExistingAsync(arn, LambdaErrorType.ResourceNotFoundException);
        var functions = (await FunctionsUsingAsync(current.Arn)).Select(name => FunctionArns.Function(node.Value.Region, AccountId, name)).ToList();
        var (page, next) = ListPage.Of(http, functions, f => f);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListFunctionsByCodeSigningConfigResponse(page, next), LambdaJsonContext.Default.ListFunctionsByCodeSigningConfigResponse);
    }

    /// <summary>200 with the configuration and function name; CodeSigningConfigNotFound when the configuration does not exist.</summary>
    public async Task PutFunctionAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.FunctionCodeSigningConfigDto);
        var name = UnqualifiedName(http, functionName);
        var arn = request.CodeSigningConfigArn ?? throw FunctionValidator.Validation("null", "codeSigningConfigArn", "Member must not be null");
        var definition = await ExistingAsync(arn, LambdaErrorType.CodeSigningConfigNotFoundException);
        await grains.GetGrain<IFunctionGrain>(name).SetCodeSigningConfigAsync(definition.Arn);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new FunctionCodeSigningConfigDto { CodeSigningConfigArn = definition.Arn, FunctionName = name }, LambdaJsonContext.Default.FunctionCodeSigningConfigDto);
    }

    /// <summary>200; a function without a configuration answers an empty ARN, as Lambda does.</summary>
    public async Task GetFunctionAsync(HttpContext http, string functionName)
    {
        var name = UnqualifiedName(http, functionName);
        var arn = await grains.GetGrain<IFunctionGrain>(name).GetCodeSigningConfigAsync();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new FunctionCodeSigningConfigDto { CodeSigningConfigArn = arn ?? "", FunctionName = name }, LambdaJsonContext.Default.FunctionCodeSigningConfigDto);
    }

    public async Task DeleteFunctionAsync(HttpContext http, string functionName)
    {
        var name = UnqualifiedName(http, functionName);
        await grains.GetGrain<IFunctionGrain>(name).SetCodeSigningConfigAsync(null);
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// The configuration an ARN names; <paramref name="missing"/> (ResourceNotFound, or CodeSigningConfigNotFound where a
    /// function refers to it) when it does not exist. A malformed ARN is a ValidationException.
    /// </summary>
    internal async Task<CodeSigningConfigDefinition> ExistingAsync(string arn, LambdaErrorType missing)
    {
        var match = ArnPattern().Match(arn);
        if (arn.Length > 200 || !match.Success)
        {
            throw FunctionValidator.Validation(arn, "codeSigningConfigArn", @"Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:code-signing-config:csc-[a-z0-9]{17}");
        }

        var definition = match.Groups["account"].Value == AccountId && match.Groups["region"].Value == node.Value.Region
            ? await grains.GetGrain<ICodeSigningConfigGrain>(match.Groups["id"].Value).GetAsync()
            : null;
        return definition ?? throw new LambdaServiceException(missing, $"The code signing configuration cannot be found. Check that the provided configuration is not deleted: {arn}.");
    }

    private async Task<List<string>> FunctionsUsingAsync(string arn)
    {
        var names = await grains.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Functions(AccountId)).ListAsync(null, int.MaxValue);
        var bindings = await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                return (name, arn: await grains.GetGrain<IFunctionGrain>(name).GetCodeSigningConfigAsync());
            }
            catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ResourceNotFoundException)
            {
                return (name, arn: null); // deleted meanwhile
            }
        }));
        return [.. bindings.Where(b => b.arn == arn).Select(b => b.name)];
    }

    private string UnqualifiedName(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, node.Value.Region, AccountId);
        if (target.Qualifier is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.");
        }

        return target.Name;
    }

    private static List<string>? Publishers(AllowedPublishersDto? publishers)
    {
        if (publishers is null)
        {
            return null;
        }

        var arns = publishers.SigningProfileVersionArns ?? throw FunctionValidator.Validation("null", "allowedPublishers.signingProfileVersionArns", "Member must not be null");
        if (arns.Count is < 1 or > 20)
        {
            throw FunctionValidator.Validation($"[{string.Join(", ", arns)}]", "allowedPublishers.signingProfileVersionArns",
                arns.Count < 1 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 20");
        }

        foreach (var arn in arns.Where(a => !SigningProfilePattern().IsMatch(a)))
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"Signing profile version ARN {arn} is not valid.");
        }

        return arns;
    }

    private static string? Policy(CodeSigningPoliciesDto? policies)
    {
        var value = policies?.UntrustedArtifactOnDeployment;
        return value is null or "Warn" or "Enforce"
            ? value
            : throw FunctionValidator.Validation(value, "codeSigningPolicies.untrustedArtifactOnDeployment", "Member must satisfy enum value set: [Enforce, Warn]");
    }

    private static string? Description(string? description) =>
        description is { Length: > 256 }
            ? throw FunctionValidator.Validation(description, "description", "Member must have length less than or equal to 256")
            : description;

    private static CodeSigningConfigDto Dto(CodeSigningConfigDefinition d) => new(
        d.Id, d.Arn, d.Description,
        new AllowedPublishersDto { SigningProfileVersionArns = [.. d.SigningProfileVersionArns] },
        new CodeSigningPoliciesDto { UntrustedArtifactOnDeployment = d.UntrustedArtifactOnDeployment },
        FunctionConfigurations.Timestamp(d.LastModified));

    /// <summary>A configuration id as Lambda's look: <c>csc-</c> and 17 lower-case letters and digits.</summary>
    private static string NewId() => "csc-" + Grains.Tagging.ResourceIds.New(17);

    [GeneratedRegex(@"^arn:(aws[a-zA-Z-]*)?:lambda:(?<region>[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}):(?<account>\d{12}):code-signing-config:(?<id>csc-[a-z0-9]{17})$")]
    private static partial Regex ArnPattern();

    [GeneratedRegex(@"^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$")]
    private static partial Regex SigningProfilePattern();
}
