using LambdaCluster.Gateway.CodeSigning;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.CodeSigning;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Layers;
using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>The function control plane: Create, Get, GetConfiguration, List, UpdateCode, UpdateConfiguration, Delete, GetAccountSettings.</summary>
public sealed class FunctionApi(IGrainFactory grains, CodePackages packages, CodeDownload downloads, LayerReferences layerReferences, CodeSigningConfigApi codeSigning, CodeVerifier verifier, VpcConfigs networks, ICodeStore codeStore, ContainerImages images, IOptions<NodeOptions> node, TimeProvider time)
{
    private const int MaxListItems = 50;

    private string Region => node.Value.Region;

    private string AccountId => node.Value.AccountId;

    public async Task CreateAsync(HttpContext http)
    {
        // Flow: parse → validate every setting → store the package → create the grain (which refuses a duplicate).
        // Any refusal happens before the grain is written, so bad input changes nothing.
        var request = JsonBody.Read(http, LambdaJsonContext.Default.CreateFunctionRequest);
        var name = CreatedName(request.FunctionName);
        FunctionValidator.Role(request.Role);
        var image = request.PackageType switch
        {
            null or "Zip" => false,
            "Image" => true,
            var other => throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{other}' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Image, Zip]"),
        };
        if (image)
        {
            ContainerImages.CheckCreate(request);
        }
        else
        {
            if (request.Runtime is null || request.Handler is null)
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
            }

            FunctionValidator.Runtime(request.Runtime);
            FunctionValidator.Handler(request.Handler);
        }

        FunctionValidator.Description(request.Description);
        FunctionValidator.Timeout(request.Timeout);
        FunctionValidator.MemorySize(request.MemorySize);
        FunctionValidator.EphemeralStorage(request.EphemeralStorage?.Size);
        FunctionValidator.Variables(request.Environment?.Variables);
        FunctionValidator.Architectures(request.Architectures);
        FunctionValidator.SnapStart(request.SnapStart?.ApplyOn, request.Runtime ?? "", request.EphemeralStorage?.Size ?? 512);
        var vpc = networks.Resolve(request.VpcConfig);
        var fileSystems = networks.Resolve(request.FileSystemConfigs) ?? [];
        VpcConfigs.CheckTogether(vpc, fileSystems, request.SnapStart?.ApplyOn ?? "None");
        TagsApi.Validated(request.Tags);
        var logging = LoggingConfigs.Merge(request.LoggingConfig, new FunctionLogging("Text", null, null, $"/aws/lambda/{name}"))
            ?? new FunctionLogging("Text", null, null, $"/aws/lambda/{name}");
        var layers = await layerReferences.ResolveAsync(request.Layers);
        if (request.Code is null)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null");
        }

        var codeSigningConfig = request.CodeSigningConfigArn is { } cscArn
            ? await codeSigning.ExistingAsync(cscArn, LambdaErrorType.CodeSigningConfigNotFoundException)
            : null;
        var grain = grains.GetGrain<IFunctionGrain>(name);
        if (await grain.GetAsync() is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, $"Function already exist: {name}");
        }

        await VerifyLayersAsync(layers, codeSigningConfig, http.RequestAborted);

        var pinned = image ? await images.PinAsync(request.Code.ImageUri, http.RequestAborted) : null;
        var (hash, size, signature) = pinned is not null ? (pinned.Hash, 0L, null) : await packages.StoreAsync(request.Code.ZipFile, request.Code.S3Bucket, request.Code.ImageUri, http.RequestAborted,
            zip => verifier.Verify(zip, codeSigningConfig, name));
        var arn = FunctionArns.Function(Region, AccountId, name);
        var definition = new FunctionDefinition
        {
            FunctionName = name,
            FunctionArn = arn,
            Runtime = request.Runtime ?? "",
            Role = request.Role!,
            Handler = request.Handler ?? "",
            Description = request.Description ?? "",
            Timeout = request.Timeout ?? 3,
            MemorySize = request.MemorySize ?? 128,
            Variables = request.Environment?.Variables ?? (request.Environment is null ? null : new Dictionary<string, string>()),
            CodeSha256 = hash.Base64,
            CodeSha256Hex = hash.Hex,
            CodeSize = size,
            LastModified = time.GetUtcNow(),
            RevisionId = Guid.NewGuid().ToString(),
            ConfigRevision = Guid.NewGuid().ToString("N"),
            EphemeralStorageSize = request.EphemeralStorage?.Size ?? 512,
            TracingMode = request.TracingConfig?.Mode ?? "PassThrough",
            LogGroup = logging.LogGroup,
            LogFormat = logging.LogFormat,
            ApplicationLogLevel = logging.ApplicationLogLevel,
            SystemLogLevel = logging.SystemLogLevel,
            Tags = request.Tags,
            Region = Region,
            Layers = layers ?? [],
            SnapStartApplyOn = request.SnapStart?.ApplyOn ?? "None",
            SigningProfileVersionArn = signature?.SigningProfileVersionArn,
            SigningJobArn = signature?.SigningJobArn,
            Vpc = vpc,
            FileSystems = fileSystems,
            PackageType = image ? "Image" : "Zip",
            ImageUri = pinned?.ImageUri,
            ResolvedImageUri = pinned?.ResolvedImageUri,
            ImageConfig = ContainerImages.Config(request.ImageConfig),
            // An image is Pending until this cluster has pulled it (the function grain's silo pulls it now).
            State = image ? "Pending" : null,
            StateReasonCode = image ? "Creating" : null,
            StateReason = image ? "The function is being created." : null,
        };
        var created = await grain.CreateAsync(definition, codeSigningConfig?.Arn);

        if (request.Publish == true)
        {
            created = await grain.PublishVersionAsync(new PublishVersionRequest(null, null, null, WithChange: true)); // Lambda answers with version 1
        }

        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, FunctionConfigurations.From(created, ConfigurationView.Create), LambdaJsonContext.Default.FunctionConfigurationDto);
    }

    public async Task GetAsync(HttpContext http, string functionName)
    {
        var (definition, grain) = await ExistingAsync(http, functionName);
        var reserved = await grain.GetReservedConcurrencyAsync();
        var tags = await grain.GetTagsAsync();
        var response = new GetFunctionResponse
        {
            Configuration = FunctionConfigurations.From(definition, ConfigurationView.Get),
            Code = definition.IsImage
                ? new FunctionCodeLocationDto("ECR", null) { ImageUri = definition.ImageUri, ResolvedImageUri = definition.ResolvedImageUri }
                : new FunctionCodeLocationDto("S3", downloads.Url(http.Request, definition.CodeSha256Hex)),
            Tags = tags.Count > 0 ? tags : null, // Lambda returns Tags only when the function has some
            Concurrency = reserved is null ? null : new ConcurrencyDto { ReservedConcurrentExecutions = reserved },
        };
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, response, LambdaJsonContext.Default.GetFunctionResponse);
    }

    public async Task GetConfigurationAsync(HttpContext http, string functionName)
    {
        var (definition, _) = await ExistingAsync(http, functionName);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, FunctionConfigurations.From(definition, ConfigurationView.Get), LambdaJsonContext.Default.FunctionConfigurationDto);
    }

    public async Task ListAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var maxItems = MaxItems(http);

        if (query.TryGetValue("FunctionVersion", out var version) && version != "ALL")
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]");
        }

        var marker = query.TryGetValue("Marker", out var markerText) ? markerText.ToString() : null;
        var registry = grains.GetGrain<IFunctionRegistryGrain>(AccountId);
        var names = await registry.ListAsync(marker, maxItems + 1);
        var page = names.Take(maxItems).ToList();
        List<FunctionConfigurationDto> functions;
        if (version == "ALL")
        {
            // Every version of each function, $LATEST under its qualified ARN as Lambda lists it (pages hold whole functions).
            var all = await Task.WhenAll(page.Select(async n =>
            {
                try
                {
                    return await grains.GetGrain<IFunctionGrain>(n).ListVersionsAsync();
                }
                catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ResourceNotFoundException)
                {
                    return []; // deleted between the listing and now
                }
            }));
            functions = [.. all.SelectMany(v => v).Select(d => FunctionConfigurations.From(Qualified(d), ConfigurationView.List))];
        }
        else
        {
            var definitions = await Task.WhenAll(page.Select(n => grains.GetGrain<IFunctionGrain>(n).GetAsync()));
            functions = [.. definitions.OfType<FunctionDefinition>().Select(d => FunctionConfigurations.From(d, ConfigurationView.List))];
        }

        var next = names.Count > maxItems ? page[^1] : null;
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListFunctionsResponse(functions, next), LambdaJsonContext.Default.ListFunctionsResponse);
    }

    public async Task UpdateCodeAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.UpdateFunctionCodeRequest);
        var (current, grain) = await ExistingAsync(http, functionName);
        FunctionValidator.Architectures(request.Architectures);
        var codeSigningConfig = await grain.GetCodeSigningConfigAsync() is { } cscArn
            ? await codeSigning.ExistingAsync(cscArn, LambdaErrorType.CodeSigningConfigNotFoundException)
            : null;
        ContainerImages.CheckUpdate(current.IsImage, request);
        var pinned = current.IsImage ? await images.PinAsync(request.ImageUri, http.RequestAborted) : null;
        var (hash, size, signature) = pinned is not null ? (pinned.Hash, 0L, null) : await packages.StoreAsync(request.ZipFile, request.S3Bucket, request.ImageUri, http.RequestAborted,
            zip => verifier.Verify(zip, codeSigningConfig, current.FunctionName));
        var updated = request.DryRun == true
            ? (await grain.GetAsync())!
            : await grain.UpdateCodeAsync(new FunctionCodeUpdate(hash.Base64, hash.Hex, size, request.RevisionId, signature?.SigningProfileVersionArn, signature?.SigningJobArn, codeSigningConfig?.Arn,
                pinned?.ImageUri, pinned?.ResolvedImageUri));
        if (request.Publish == true && request.DryRun != true)
        {
            updated = await grain.PublishVersionAsync(new PublishVersionRequest(null, null, null, WithChange: true)); // Lambda answers with the new version
        }
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, FunctionConfigurations.From(updated, ConfigurationView.Update), LambdaJsonContext.Default.FunctionConfigurationDto);
    }

    public async Task UpdateConfigurationAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.UpdateFunctionConfigurationRequest);
        var (current, grain) = await ExistingAsync(http, functionName);
        var logging = LoggingConfigs.Merge(request.LoggingConfig, new FunctionLogging(current.LogFormat, current.ApplicationLogLevel, current.SystemLogLevel, current.LogGroup));
        if (request.Role is not null)
        {
            FunctionValidator.Role(request.Role);
        }

        if (request.Runtime is not null)
        {
            FunctionValidator.Runtime(request.Runtime);
        }

        if (request.Handler is not null)
        {
            FunctionValidator.Handler(request.Handler);
        }

        FunctionValidator.Description(request.Description);
        FunctionValidator.Timeout(request.Timeout);
        FunctionValidator.MemorySize(request.MemorySize);
        FunctionValidator.EphemeralStorage(request.EphemeralStorage?.Size);
        FunctionValidator.Variables(request.Environment?.Variables);
        FunctionValidator.SnapStart(request.SnapStart?.ApplyOn ?? current.SnapStartApplyOn, request.Runtime ?? current.Runtime, request.EphemeralStorage?.Size ?? current.EphemeralStorageSize);
        var vpc = networks.Resolve(request.VpcConfig);
        var fileSystems = networks.Resolve(request.FileSystemConfigs);
        VpcConfigs.CheckTogether(vpc ?? current.Vpc, fileSystems ?? current.FileSystems, request.SnapStart?.ApplyOn ?? current.SnapStartApplyOn);
        ContainerImages.CheckConfigurationUpdate(current.IsImage, request);
        var layers = await layerReferences.ResolveAsync(request.Layers);
        if (layers is not null && await grain.GetCodeSigningConfigAsync() is { } cscArn)
        {
            await VerifyLayersAsync(layers, await codeSigning.ExistingAsync(cscArn, LambdaErrorType.CodeSigningConfigNotFoundException), http.RequestAborted);
        }

        var updated = await grain.UpdateConfigurationAsync(new FunctionConfigurationUpdate
        {
            Layers = layers,
            Role = request.Role,
            Handler = request.Handler,
            Description = request.Description,
            Timeout = request.Timeout,
            MemorySize = request.MemorySize,
            Variables = request.Environment is null ? null : request.Environment.Variables ?? new Dictionary<string, string>(),
            Runtime = request.Runtime,
            RevisionId = request.RevisionId,
            EphemeralStorageSize = request.EphemeralStorage?.Size,
            TracingMode = request.TracingConfig?.Mode,
            Logging = logging,
            SnapStartApplyOn = request.SnapStart?.ApplyOn,
            Vpc = vpc,
            FileSystems = fileSystems,
            ImageConfig = ContainerImages.Config(request.ImageConfig),
        });
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, FunctionConfigurations.From(updated, ConfigurationView.Update), LambdaJsonContext.Default.FunctionConfigurationDto);
    }

    public async Task DeleteAsync(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        if (target.Qualifier == "$LATEST")
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "$LATEST version cannot be deleted without deleting the function.");
        }

        var grain = grains.GetGrain<IFunctionGrain>(target.Name);
        await grain.DeleteAsync(target.Qualifier); // the function must exist; a version of it need not (Lambda succeeds)
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    public async Task PublishVersionAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.PublishVersionRequestDto);
        FunctionValidator.Description(request.Description);
        var grain = grains.GetGrain<IFunctionGrain>(FunctionTarget.From(http, functionName, Region, AccountId).Name);
        var version = await grain.PublishVersionAsync(new PublishVersionRequest(request.CodeSha256, request.Description, request.RevisionId));
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, FunctionConfigurations.From(version, ConfigurationView.Get), LambdaJsonContext.Default.FunctionConfigurationDto);
    }

    public async Task ListVersionsAsync(HttpContext http, string functionName)
    {
        var grain = grains.GetGrain<IFunctionGrain>(FunctionTarget.From(http, functionName, Region, AccountId).Name);
        var (page, next) = ListPage.Of(http, await grain.ListVersionsAsync(), v => v.Version);
        var versions = page.Select(v => FunctionConfigurations.From(Qualified(v), ConfigurationView.List)).ToList();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListVersionsByFunctionResponse(versions, next), LambdaJsonContext.Default.ListVersionsByFunctionResponse);
    }

    public async Task GetAccountSettingsAsync(HttpContext http)
    {
        var names = await grains.GetGrain<IFunctionRegistryGrain>(AccountId).ListAsync(null, int.MaxValue);
        var definitions = await Task.WhenAll(names.Select(n => grains.GetGrain<IFunctionGrain>(n).GetAsync()));
        var totalCode = definitions.OfType<FunctionDefinition>().Sum(d => d.CodeSize);
        var concurrency = await grains.GetGrain<IAccountConcurrencyGrain>(AccountId).GetAsync();
        var response = new AccountSettingsResponse(
            new AccountLimitDto(80_530_636_800, ZipPackage.MaxUnzippedBytes, ZipPackage.MaxZippedBytes, concurrency.ConcurrentExecutions, concurrency.UnreservedConcurrentExecutions),
            new AccountUsageDto(totalCode, names.Count));
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, response, LambdaJsonContext.Default.AccountSettingsResponse);
    }

    /// <summary>$LATEST under its qualified ARN (<c>...:function:f:$LATEST</c>), as Lambda shows it when listed among versions or asked for by qualifier.</summary>
    private static FunctionDefinition Qualified(FunctionDefinition definition) =>
        definition.Version == "$LATEST" ? definition with { FunctionArn = FunctionArns.Qualified(definition.FunctionArn, "$LATEST") } : definition;

    /// <summary>
    /// The name a CreateFunction request gives: a name, or a full or partial ARN of this region and account (as the
    /// model's FunctionName documentation allows), never qualified.
    /// </summary>
    private string CreatedName(string? functionName)
    {
        if (functionName is null)
        {
            FunctionValidator.FunctionName(functionName);
        }

        var reference = FunctionReference.Parse(functionName, Region, AccountId);
        if (reference.Qualifier is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"Function name {functionName} must not have a qualifier when creating a function.");
        }

        return reference.Name;
    }

    /// <summary>MaxItems of a list operation (1-10000), capped at the 50 items Lambda returns per page.</summary>
    internal static int MaxItems(HttpContext http)
    {
        if (!http.Request.Query.TryGetValue("MaxItems", out var maxText))
        {
            return MaxListItems;
        }

        if (!int.TryParse(maxText, out var maxItems) || maxItems is < 1 or > 10000)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000");
        }

        return Math.Min(maxItems, MaxListItems);
    }

    /// <summary>The function named by the path (and Qualifier), or ResourceNotFound as Lambda words it.</summary>
    private async Task<(FunctionDefinition Definition, IFunctionGrain Grain)> ExistingAsync(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        var arn = FunctionArns.Function(Region, AccountId, target.Name);
        var grain = grains.GetGrain<IFunctionGrain>(target.Name);
        var notFound = LambdaServiceException.FunctionNotFound(target.Qualifier is null ? arn : FunctionArns.Qualified(arn, target.Qualifier));
        if (AliasRoutes.IsAlias(target.Qualifier))
        {
            // An alias shows the configuration of its version under the alias's ARN.
            var alias = await grain.GetAliasAsync(target.Qualifier!) ?? throw notFound;
            var aliased = await grain.GetVersionAsync(alias.FunctionVersion) ?? throw notFound;
            return (aliased with { FunctionArn = FunctionArns.Qualified(arn, alias.Name) }, grain);
        }

        var definition = await grain.GetVersionAsync(target.Version) ?? throw notFound;
        return (target.Qualifier is null ? definition : Qualified(definition), grain);
    }

    /// <summary>Layers a function with a code signing configuration takes pass the same checks as its own package (Lambda checks them too).</summary>
    private async Task VerifyLayersAsync(IReadOnlyList<FunctionLayer>? layers, CodeSigningConfigDefinition? config, CancellationToken cancellationToken)
    {
        if (config is null)
        {
            return;
        }

        foreach (var layer in layers ?? [])
        {
            var package = await codeStore.GetAsync(layer.CodeSha256Hex, cancellationToken)
                ?? throw new LambdaServiceException(LambdaErrorType.ServiceException, $"The package of {layer.Arn} is missing from the code store.");
            verifier.Verify(package, config, layer.Arn);
        }
    }
}
