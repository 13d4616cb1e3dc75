using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.CodeSigning;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.EventSources;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Tagging;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// TagResource, UntagResource, ListTags (<c>/2017-03-31/tags/{ARN}</c>) for functions, event source mappings and code
/// signing configurations, with
/// Lambda's limits: 50 tags per resource, keys 1-128 characters and values up to 256, no <c>aws:</c> prefix; a version's
/// or alias's ARN is refused, as tags belong to the function.
/// </summary>
public sealed partial class TagsApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    /// <summary>204.</summary>
    public async Task TagAsync(HttpContext http, string resource)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.TagsDto);
        var tags = Validated(request.Tags) ?? throw FunctionValidator.Validation("null", "tags", "Member must not be null");
        switch (Parse(resource))
        {
            case (string function, null, null):
                await grains.GetGrain<IFunctionGrain>(function).TagAsync(tags);
                break;
            case (null, string uuid, null):
                _ = await grains.GetGrain<IEventSourceMappingGrain>(uuid).RetagAsync(tags, []) ?? throw MappingNotFound(resource);
                break;
            case (null, null, string id):
                var config = await ConfigAsync(resource, id);
                await grains.GetGrain<ICodeSigningConfigGrain>(id).UpdateAsync(config with { Tags = ResourceTags.Apply(config.Tags, tags, []) });
                break;
        }

        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    /// <summary>204; keys come as repeated <c>tagKeys</c> query parameters.</summary>
    public async Task UntagAsync(HttpContext http, string resource)
    {
        var keys = http.Request.Query["tagKeys"].OfType<string>().ToList();
        if (keys.Count == 0)
        {
            throw FunctionValidator.Validation("null", "tagKeys", "Member must not be null");
        }

        switch (Parse(resource))
        {
            case (string function, null, null):
                await grains.GetGrain<IFunctionGrain>(function).UntagAsync(keys);
                break;
            case (null, string uuid, null):
                _ = await grains.GetGrain<IEventSourceMappingGrain>(uuid).RetagAsync(new Dictionary<string, string>(), keys) ?? throw MappingNotFound(resource);
                break;
            case (null, null, string id):
                var config = await ConfigAsync(resource, id);
                await grains.GetGrain<ICodeSigningConfigGrain>(id).UpdateAsync(config with { Tags = ResourceTags.Apply(config.Tags, new Dictionary<string, string>(), keys) });
                break;
        }

        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    /// <summary>200 <c>{"Tags":{...}}</c>.</summary>
    public async Task ListAsync(HttpContext http, string resource)
    {
        var tags = Parse(resource) switch
        {
            (string function, null, null) => await grains.GetGrain<IFunctionGrain>(function).GetTagsAsync(),
            (null, string uuid, null) => (await MappingAsync(resource, uuid)).Tags,
            (_, _, var id) => (await ConfigAsync(resource, id!)).Tags,
        } ?? new Dictionary<string, string>();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new TagsDto { Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal) }, LambdaJsonContext.Default.TagsDto);
    }

    /// <summary>Tags as CreateFunction, CreateEventSourceMapping and TagResource take them, checked against Lambda's limits.</summary>
    public static Dictionary<string, string>? Validated(Dictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > ResourceTags.MaxTags)
        {
            throw ResourceTags.TooMany();
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128 || value.Length > 256 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                    $"One or more tags are not valid: the key '{key}' must be 1-128 characters without the aws: prefix and its value at most 256 characters.");
            }
        }

        return tags;
    }

    /// <summary>The function name, mapping UUID or code signing config id a taggable ARN names (botocore's TaggableResource pattern).</summary>
    private (string? Function, string? Mapping, string? CodeSigningConfig) Parse(string resource)
    {
        var match = TaggableResource().Match(resource);
        if (resource.Length > 256 || !match.Success)
        {
            throw FunctionValidator.Validation(resource, "resource", "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)");
        }

        if (match.Groups["region"].Value != node.Value.Region || match.Groups["account"].Value != node.Value.AccountId)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"The resource you requested does not exist. ({resource})");
        }

        if (match.Groups["qualifier"].Success)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }

        if (match.Groups["function"].Success)
        {
            return (match.Groups["function"].Value, null, null);
        }

        if (match.Groups["mapping"].Success)
        {
            return (null, match.Groups["mapping"].Value, null);
        }

        if (match.Groups["csc"].Success)
        {
            return (null, null, match.Groups["csc"].Value);
        }

        throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"The resource you requested does not exist. ({resource})");
    }

    private async Task<CodeSigningConfigDefinition> ConfigAsync(string arn, string id) =>
        await grains.GetGrain<ICodeSigningConfigGrain>(id).GetAsync()
        ?? throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"The code signing configuration cannot be found. Check that the provided configuration is not deleted: {arn}.");

    private async Task<EventSourceMapping> MappingAsync(string arn, string uuid) =>
        await grains.GetGrain<IEventSourceMappingGrain>(uuid).GetAsync() ?? throw MappingNotFound(arn);

    private static LambdaServiceException MappingNotFound(string arn) =>
        new(LambdaErrorType.ResourceNotFoundException, $"Event source mapping not found: {arn}");

    [GeneratedRegex(@"^arn:(aws[a-zA-Z-]*):lambda:(?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}):(?<account>\d{12}):(function:(?<function>[a-zA-Z0-9-_]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:(?<csc>csc-[a-z0-9]{17})|event-source-mapping:(?<mapping>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|capacity-provider:[a-zA-Z0-9-_]+)$")]
    private static partial Regex TaggableResource();
}
