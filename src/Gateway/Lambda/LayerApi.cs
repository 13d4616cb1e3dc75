using System.Globalization;
using LambdaCluster.Gateway.CodeSigning;
using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Layers;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayers, ListLayerVersions, DeleteLayerVersion.</summary>
public sealed partial class LayerApi(IGrainFactory grains, CodePackages packages, CodeDownload downloads, LayerReferences references, CodeVerifier verifier, IOptions<NodeOptions> node, TimeProvider time)
{
    public async Task PublishAsync(HttpContext http, string layerName)
    {
        // Flow: validate every field → store the package → publish (the grain numbers the version). A refusal
        // happens before anything is stored under the layer.
        var name = LayerName(layerName);
        var request = JsonBody.Read(http, LambdaJsonContext.Default.PublishLayerVersionRequest);
        FunctionValidator.Description(request.Description);
        if (request.CompatibleRuntimes is { Count: > 15 } || request.CompatibleRuntimes?.Any(r => !RuntimeCatalog.LambdaRuntimeEnum.Contains(r)) == true)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '[{string.Join(", ", request.CompatibleRuntimes!)}]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", RuntimeCatalog.LambdaRuntimeEnum)}]]");
        }

        if (request.CompatibleArchitectures is { Count: > 2 } || request.CompatibleArchitectures?.Any(a => a is not ("x86_64" or "arm64")) == true)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '[{string.Join(", ", request.CompatibleArchitectures!)}]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]");
        }

        if (request.LicenseInfo is { Length: > 512 })
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value at 'licenseInfo' failed to satisfy constraint: Member must have length less than or equal to 512");
        }

        var content = request.Content
            ?? throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null");
        var (hash, size, signature) = await packages.StoreAsync(content.ZipFile, content.S3Bucket, content.ImageUri, http.RequestAborted, verifier.Signature);
        var version = await grains.GetGrain<ILayerGrain>(name).PublishAsync(new LayerVersionDefinition
        {
            LayerName = name,
            Version = 0,
            LayerArn = "",
            Description = request.Description ?? "",
            CreatedDate = time.GetUtcNow(),
            CompatibleRuntimes = request.CompatibleRuntimes,
            CompatibleArchitectures = request.CompatibleArchitectures,
            LicenseInfo = request.LicenseInfo,
            CodeSha256 = hash.Base64,
            CodeSha256Hex = hash.Hex,
            CodeSize = size,
            SigningProfileVersionArn = signature?.SigningProfileVersionArn,
            SigningJobArn = signature?.SigningJobArn,
        });
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, Dto(http, version), LambdaJsonContext.Default.LayerVersionDto);
    }

    public async Task GetAsync(HttpContext http, string layerName, string versionNumber)
    {
        var version = await grains.GetGrain<ILayerGrain>(LayerName(layerName)).GetAsync(VersionNumber(versionNumber)) ?? throw NotFound();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(http, version), LambdaJsonContext.Default.LayerVersionDto);
    }

    /// <summary><c>GET /2018-10-31/layers</c>: GetLayerVersionByArn when <c>find=LayerVersion</c>, else ListLayers.</summary>
    public async Task GetLayersAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (query["find"].FirstOrDefault() == "LayerVersion")
        {
            var arn = query["Arn"].FirstOrDefault()
                ?? throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null");
            var (name, number) = references.Parse(arn);
            var found = await grains.GetGrain<ILayerGrain>(name).GetAsync(number) ?? throw NotFound();
            await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(http, found), LambdaJsonContext.Default.LayerVersionDto);
            return;
        }

        var runtime = query["CompatibleRuntime"].FirstOrDefault();
        var architecture = query["CompatibleArchitecture"].FirstOrDefault();
        var names = await grains.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Layers(node.Value.AccountId)).ListAsync(null, int.MaxValue);
        var items = new List<LayersListItemDto>();
        foreach (var layerName in names)
        {
            var latest = (await grains.GetGrain<ILayerGrain>(layerName).ListAsync()).FirstOrDefault(v => Matches(v, runtime, architecture));
            if (latest is not null)
            {
                items.Add(new LayersListItemDto(layerName, latest.LayerArn, ListItem(latest)));
            }
        }

        var (page, next) = ListPage.Of(http, items, i => i.LayerName);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListLayersResponse(page, next), LambdaJsonContext.Default.ListLayersResponse);
    }

    public async Task ListVersionsAsync(HttpContext http, string layerName)
    {
        var query = http.Request.Query;
        var versions = (await grains.GetGrain<ILayerGrain>(LayerName(layerName)).ListAsync())
            .Where(v => Matches(v, query["CompatibleRuntime"].FirstOrDefault(), query["CompatibleArchitecture"].FirstOrDefault()))
            .Select(ListItem)
            .ToList();
        var (page, next) = ListPage.Of(http, versions, v => v.Version.ToString(CultureInfo.InvariantCulture));
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListLayerVersionsResponse(page, next), LambdaJsonContext.Default.ListLayerVersionsResponse);
    }

    public async Task DeleteAsync(HttpContext http, string layerName, string versionNumber)
    {
        await grains.GetGrain<ILayerGrain>(LayerName(layerName)).DeleteAsync(VersionNumber(versionNumber));
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    private static bool Matches(LayerVersionDefinition version, string? runtime, string? architecture) =>
        (runtime is null || version.CompatibleRuntimes?.Contains(runtime) == true)
        && (architecture is null || version.CompatibleArchitectures?.Contains(architecture) == true);

    private LayerVersionDto Dto(HttpContext http, LayerVersionDefinition v) => new()
    {
        Content = new LayerVersionContentDto(downloads.Url(http.Request, v.CodeSha256Hex), v.CodeSha256, v.CodeSize, v.SigningProfileVersionArn, v.SigningJobArn),
        LayerArn = v.LayerArn,
        LayerVersionArn = v.LayerVersionArn,
        Description = v.Description,
        CreatedDate = FunctionConfigurations.Timestamp(v.CreatedDate),
        Version = v.Version,
        CompatibleRuntimes = v.CompatibleRuntimes,
        CompatibleArchitectures = v.CompatibleArchitectures,
        LicenseInfo = v.LicenseInfo,
    };

    private static LayerVersionsListItemDto ListItem(LayerVersionDefinition v) => new()
    {
        LayerVersionArn = v.LayerVersionArn,
        Version = v.Version,
        Description = v.Description,
        CreatedDate = FunctionConfigurations.Timestamp(v.CreatedDate),
        CompatibleRuntimes = v.CompatibleRuntimes,
        CompatibleArchitectures = v.CompatibleArchitectures,
        LicenseInfo = v.LicenseInfo,
    };

    /// <summary>A LayerName path label: a name, or this account's layer ARN.</summary>
    internal string LayerName(string raw)
    {
        var match = NamePattern().Match(raw);
        if (raw.Length is < 1 or > 140 || !match.Success)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException,
                $"1 validation error detected: Value '{raw}' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{{12}}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+");
        }

        if (match.Groups["account"].Success && (match.Groups["account"].Value != node.Value.AccountId || match.Groups["region"].Value != node.Value.Region))
        {
            throw NotFound();
        }

        return match.Groups["name"].Value;
    }

    internal static long VersionNumber(string raw) =>
        long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{raw}' at 'versionNumber' failed to satisfy constraint: Member must be a number");

    private static LambdaServiceException NotFound() =>
        new(LambdaErrorType.ResourceNotFoundException, "The resource you requested does not exist.");

    [GeneratedRegex(@"^(arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:)?(?<name>[a-zA-Z0-9-_]+)$")]
    private static partial Regex NamePattern();
}
