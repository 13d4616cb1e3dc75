using System.Globalization;
using LambdaCluster.Grains.Aliases;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Grains.Urls;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.Functions;

/// <inheritdoc cref="IFunctionGrain"/>
[GrainType("function")]
public sealed partial class FunctionGrain(
    [PersistentState("function", GrainStorageNames.Functions)] IPersistentState<FunctionState> state,
    IOptions<NodeOptions> node,
    TimeProvider time,
    ILocalSiloDetails localSilo,
    ILogger<FunctionGrain> logger) : Grain, IFunctionGrain
{
    private string Name => this.GetPrimaryKeyString();

    private string Arn => FunctionArns.Function(node.Value.Region, node.Value.AccountId, Name);

    public async Task<FunctionDefinition> CreateAsync(FunctionDefinition definition, string? codeSigningConfigArn = null)
    {
        if (state.State.Definition is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, $"Function already exist: {Name}");
        }

        state.State = new FunctionState { Definition = definition, CodeSigningConfigArn = codeSigningConfigArn }; // with its config from the start: no unchecked update in between
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFunctionRegistryGrain>(node.Value.AccountId).AddAsync(Name);
        if (ImagePending)
        {
            _ = PullImageAsync();
        }

        return definition;
    }

    public Task<FunctionDefinition?> GetAsync() => Task.FromResult(state.State.Definition);

    public Task<FunctionDefinition?> GetVersionAsync(string version) => Task.FromResult(Find(version));

    public async Task<FunctionDefinition> UpdateCodeAsync(FunctionCodeUpdate update)
    {
        var current = Existing();
        CheckRevision(current, update.RevisionId);
        if (state.State.CodeSigningConfigArn != update.CodeSigningConfigArn)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                "The function's code signing configuration changed while its code was being checked. Retry the update.");
        }

        RefuseWhileUpdating(current);
        var updated = current with
        {
            CodeSha256 = update.CodeSha256,
            CodeSha256Hex = update.CodeSha256Hex,
            CodeSize = update.CodeSize,
            SigningProfileVersionArn = update.SigningProfileVersionArn,
            SigningJobArn = update.SigningJobArn,
            ImageUri = update.ImageUri ?? current.ImageUri,
            ResolvedImageUri = update.ResolvedImageUri ?? current.ResolvedImageUri,
            LastUpdateStatus = update.ResolvedImageUri is not null ? "InProgress" : current.LastUpdateStatus,
            LastUpdateStatusReasonCode = update.ResolvedImageUri is not null ? "Creating" : current.LastUpdateStatusReasonCode,
            LastUpdateStatusReason = update.ResolvedImageUri is not null ? "The function is being created." : current.LastUpdateStatusReason,
        };
        if (update.ResolvedImageUri is not null)
        {
            state.State.PreviousLatest = current.State is null ? current : null; // a function that never became Active has nothing to fall back on
        }

        var saved = await SaveLatestAsync(updated);
        if (update.ResolvedImageUri is not null)
        {
            _ = PullImageAsync();
        }

        return saved;
    }

    public async Task<FunctionDefinition> UpdateConfigurationAsync(FunctionConfigurationUpdate update)
    {
        var current = Existing();
        CheckRevision(current, update.RevisionId);
        RefuseWhileUpdating(current);
        var updated = current with
        {
            Role = update.Role ?? current.Role,
            Handler = update.Handler ?? current.Handler,
            Description = update.Description ?? current.Description,
            Timeout = update.Timeout ?? current.Timeout,
            MemorySize = update.MemorySize ?? current.MemorySize,
            Variables = update.Variables ?? current.Variables,
            Runtime = update.Runtime ?? current.Runtime,
            EphemeralStorageSize = update.EphemeralStorageSize ?? current.EphemeralStorageSize,
            TracingMode = update.TracingMode ?? current.TracingMode,
            LogFormat = update.Logging?.LogFormat ?? current.LogFormat,
            ApplicationLogLevel = update.Logging is { } logging ? logging.ApplicationLogLevel : current.ApplicationLogLevel,
            SystemLogLevel = update.Logging is { } system ? system.SystemLogLevel : current.SystemLogLevel,
            LogGroup = update.Logging?.LogGroup ?? current.LogGroup,
            Layers = update.Layers ?? current.Layers,
            ImageConfig = update.ImageConfig ?? current.ImageConfig,
            SnapStartApplyOn = update.SnapStartApplyOn ?? current.SnapStartApplyOn,
            Vpc = update.Vpc ?? current.Vpc,
            FileSystems = update.FileSystems ?? current.FileSystems,
        };
        if (updated.FileSystems.Count > 0 && updated.Vpc is not { Attached: true })
        {
            // Checked here too: two updates racing (one adding a file system, one leaving the VPC) pass the gateway's check apart.
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"Function must be configured to execute in a VPC to reference access point {updated.FileSystems[0].Arn}.");
        }

        return await SaveLatestAsync(updated);
    }

    public async Task<FunctionDefinition> PublishVersionAsync(PublishVersionRequest request)
    {
        var latest = Existing();
        if (request.CodeSha256 is not null && request.CodeSha256 != latest.CodeSha256)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"CodeSHA256 ({request.CodeSha256}) is different from current CodeSHA256 in $LATEST ({latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.");
        }

        CheckRevision(latest, request.RevisionId);
        if (!request.WithChange)
        {
            RefuseWhileUpdating(latest);
        }

        if (state.State.LastPublishedRevision == latest.ConfigRevision && state.State.Versions.TryGetValue(state.State.LastVersion.ToString(CultureInfo.InvariantCulture), out var unchanged))
        {
            return unchanged;
        }

        var number = (state.State.LastVersion + 1).ToString(CultureInfo.InvariantCulture);
        var version = latest with
        {
            Version = number,
            FunctionArn = FunctionArns.Qualified(Arn, number),
            Description = request.Description ?? latest.Description,
            LastModified = time.GetUtcNow(),
            RevisionId = Guid.NewGuid().ToString(),
        };
        if (version.SnapStartOn)
        {
            version = version with { State = "Pending", StateReasonCode = "Creating", StateReason = SnapshotPendingReason };
        }

        state.State.Versions[number] = version;
        state.State.LastVersion++;
        state.State.LastPublishedRevision = latest.ConfigRevision;
        await state.WriteStateAsync();
        if (version.SnapStartOn)
        {
            _ = MakeSnapshotAsync(number);
        }

        return version;
    }

    public Task<IReadOnlyList<FunctionDefinition>> ListVersionsAsync()
    {
        var latest = Existing();
        IReadOnlyList<FunctionDefinition> versions = [latest, .. state.State.Versions.Values.OrderBy(v => int.Parse(v.Version, CultureInfo.InvariantCulture))];
        return Task.FromResult(versions);
    }

    public async Task DeleteAsync(string? version)
    {
        Existing();
        if (version is not null)
        {
            if (!state.State.Versions.ContainsKey(version))
            {
                return; // as in Lambda, deleting a version that does not exist succeeds
            }

            var referencing = state.State.Aliases.Values.Where(a => a.FunctionVersion == version || a.AdditionalVersion == version).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
            if (referencing.Count > 0)
            {
                throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                    $"Unable to delete version because the following aliases reference it: [{string.Join(", ", referencing)}]");
            }

            if (state.State.Versions[version].SnapStartOn)
            {
                _ = ForgetSnapshotsAsync(version);
            }

            state.State.Versions.Remove(version);
            state.State.Policies.Remove(version);
            state.State.RuntimeManagement.Remove(version);

            state.State.Provisioned.Remove(version);
            await state.WriteStateAsync();
            await Pool(version).ConfigureAsync(null);
            return;
        }

        var versions = state.State.Versions.Keys.ToList();
        if (state.State.Versions.Values.Any(v => v.SnapStartOn))
        {
            _ = ForgetSnapshotsAsync(null);
        }

        var reserved = state.State.ReservedConcurrency;
        var urls = state.State.Urls.Values.Select(u => u.UrlId).ToList();
        await state.ClearStateAsync();
        state.State = new FunctionState();
        await GrainFactory.GetGrain<IFunctionRegistryGrain>(node.Value.AccountId).RemoveAsync(Name);
        if (reserved is not null)
        {
            await Account().SetReservedAsync(Name, null);
        }

        await Task.WhenAll(versions.Append("$LATEST").Select(v => Pool(v).ConfigureAsync(null)));
        await Task.WhenAll(urls.Select(id => GrainFactory.GetGrain<IFunctionUrlIndexGrain>(id).SetAsync(null)));
        await GrainFactory.GetGrain<AsyncInvocation.IEventInvokeConfigGrain>(Name).ClearAsync();
        DeactivateOnIdle();
    }

    public Task<int?> GetReservedConcurrencyAsync()
    {
        Existing();
        return Task.FromResult(state.State.ReservedConcurrency);
    }

    public async Task SetReservedConcurrencyAsync(int? reserved)
    {
        Existing();
        var provisioned = state.State.Provisioned.Values.Sum(p => p.Requested);
        if (reserved is { } wanted && wanted < provisioned)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $" ReservedConcurrentExecutions  {wanted} should not be lower than function's total provisioned concurrency [{provisioned}].");
        }

        await Account().SetReservedAsync(Name, reserved);
        state.State.ReservedConcurrency = reserved;
        await state.WriteStateAsync();
        await ConfigurePoolsAsync();
    }

    public async Task<ProvisionedConcurrencyStatus> PutProvisionedConcurrencyAsync(string qualifier, int count)
    {
        Existing();
        var version = VersionOf(qualifier);
        if (version == "$LATEST")
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        }

        if (!state.State.Versions.ContainsKey(version))
        {
            throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, qualifier));
        }

        if (state.State.Versions[version].SnapStartOn)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Provisioned Concurrency cannot be configured on a function version with SnapStart enabled.");
        }

        if (state.State.Provisioned.Keys.Any(other => other != qualifier && VersionOf(other) == version))
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
        }

        var others = state.State.Provisioned.Where(p => p.Key != qualifier).Sum(p => p.Value.Requested);
        if (state.State.ReservedConcurrency is { } reserved && others + count > reserved)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
        }

        state.State.Provisioned[qualifier] = new ProvisionedConcurrencySetting(count, time.GetUtcNow());
        await state.WriteStateAsync();
        await Pool(version).ConfigureAsync(Settings(version));
        return (await GetProvisionedConcurrencyAsync(qualifier))!;
    }

    public async Task<ProvisionedConcurrencyStatus?> GetProvisionedConcurrencyAsync(string qualifier)
    {
        Existing();
        if (!state.State.Provisioned.TryGetValue(qualifier, out var setting))
        {
            return null;
        }

        var pool = await Pool(VersionOf(qualifier)).DescribeAsync();
        var ready = Math.Min(pool.ProvisionedReady, setting.Requested);
        return new ProvisionedConcurrencyStatus(qualifier, setting.Requested, ready, ready, setting.LastModified);
    }

    public async Task<IReadOnlyList<ProvisionedConcurrencyStatus>> ListProvisionedConcurrencyAsync()
    {
        Existing();
        var all = await Task.WhenAll(state.State.Provisioned.Keys.Order(StringComparer.Ordinal).Select(GetProvisionedConcurrencyAsync));
        return all.OfType<ProvisionedConcurrencyStatus>().ToList();
    }

    public async Task<bool> DeleteProvisionedConcurrencyAsync(string qualifier)
    {
        Existing();
        if (!state.State.Provisioned.Remove(qualifier))
        {
            return false;
        }

        await state.WriteStateAsync();
        await Pool(VersionOf(qualifier)).ConfigureAsync(Settings(VersionOf(qualifier)));
        return true;
    }

    public async Task<AliasDefinition> CreateAliasAsync(AliasChange change)
    {
        Existing();
        if (state.State.Aliases.ContainsKey(change.Name))
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, $"Alias already exists: {FunctionArns.Qualified(Arn, change.Name)}");
        }

        var alias = Routed(new AliasDefinition
        {
            Name = change.Name,
            FunctionVersion = change.FunctionVersion ?? throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'functionVersion' failed to satisfy constraint: Member must not be null"),
            Description = change.Description ?? "",
            RevisionId = Guid.NewGuid().ToString(),
        }, change.AdditionalVersionWeights);
        state.State.Aliases[alias.Name] = alias;
        await state.WriteStateAsync();
        return alias;
    }

    public Task<AliasDefinition?> GetAliasAsync(string name) =>
        Task.FromResult(state.State.Definition is null ? null : state.State.Aliases.GetValueOrDefault(name));

    public async Task<AliasDefinition> UpdateAliasAsync(AliasChange change)
    {
        var current = ExistingAlias(change.Name);
        if (change.RevisionId is not null && change.RevisionId != current.RevisionId)
        {
            throw new LambdaServiceException(LambdaErrorType.PreconditionFailedException,
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }

        var updated = current with
        {
            FunctionVersion = change.FunctionVersion ?? current.FunctionVersion,
            Description = change.Description ?? current.Description,
            RevisionId = Guid.NewGuid().ToString(),
        };
        // RoutingConfig given replaces the split (an empty map removes it); absent keeps it.
        updated = change.AdditionalVersionWeights is null
            ? Routed(updated with { AdditionalVersion = null, AdditionalWeight = 0 }, current.AdditionalVersion is null ? null : new Dictionary<string, double> { [current.AdditionalVersion] = current.AdditionalWeight })
            : Routed(updated with { AdditionalVersion = null, AdditionalWeight = 0 }, change.AdditionalVersionWeights);
        state.State.Aliases[updated.Name] = updated;
        await state.WriteStateAsync();
        await ConfigurePoolsAsync();
        return updated;
    }

    public async Task DeleteAliasAsync(string name)
    {
        Existing();
        if (!state.State.Aliases.Remove(name))
        {
            return; // as in Lambda, deleting an alias that does not exist succeeds
        }

        state.State.Policies.Remove(name);
        if (state.State.Urls.Remove(name, out var url))
        {
            await GrainFactory.GetGrain<IFunctionUrlIndexGrain>(url.UrlId).SetAsync(null); // the alias's URL goes with it
        }

        state.State.Provisioned.Remove(name);
        await state.WriteStateAsync();
        await ConfigurePoolsAsync();
    }

    public Task<IReadOnlyList<AliasDefinition>> ListAliasesAsync(string? functionVersion)
    {
        Existing();
        IReadOnlyList<AliasDefinition> aliases = state.State.Aliases.Values
            .Where(a => functionVersion is null || a.FunctionVersion == functionVersion || a.AdditionalVersion == functionVersion)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(aliases);
    }

    public async Task<FunctionUrlSetting> CreateUrlAsync(FunctionUrlChange change)
    {
        Existing();
        if (change.Qualifier is not null && !state.State.Aliases.ContainsKey(change.Qualifier))
        {
            throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, change.Qualifier));
        }

        var key = UrlKey(change.Qualifier);
        if (state.State.Urls.ContainsKey(key))
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                $"Failed to create function url config for [functionArn = {(change.Qualifier is null ? Arn : FunctionArns.Qualified(Arn, change.Qualifier))}]. Error message:  FunctionUrlConfig exists for this Lambda function");
        }

        var now = time.GetUtcNow();
        var setting = new FunctionUrlSetting
        {
            UrlId = NewUrlId(),
            FunctionName = Name,
            Qualifier = change.Qualifier,
            AuthType = change.AuthType ?? throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null"),
            Cors = change.Cors,
            InvokeMode = change.InvokeMode,
            CreationTime = now,
            LastModifiedTime = now,
        };
        state.State.Urls[key] = setting;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFunctionUrlIndexGrain>(setting.UrlId).SetAsync(Indexed(setting));
        return setting;
    }

    public Task<FunctionUrlSetting?> GetUrlAsync(string? qualifier)
    {
        Existing();
        return Task.FromResult(state.State.Urls.GetValueOrDefault(UrlKey(qualifier)));
    }

    public async Task<FunctionUrlSetting> UpdateUrlAsync(FunctionUrlChange change)
    {
        Existing();
        var current = state.State.Urls.GetValueOrDefault(UrlKey(change.Qualifier))
            ?? throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, "The resource you requested does not exist.");
        var updated = current with
        {
            AuthType = change.AuthType ?? current.AuthType,
            Cors = change.Cors ?? current.Cors,
            InvokeMode = change.InvokeMode ?? current.InvokeMode,
            LastModifiedTime = time.GetUtcNow(),
        };
        state.State.Urls[UrlKey(change.Qualifier)] = updated;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFunctionUrlIndexGrain>(updated.UrlId).SetAsync(Indexed(updated));
        return updated;
    }

    public async Task<bool> DeleteUrlAsync(string? qualifier)
    {
        Existing();
        if (!state.State.Urls.Remove(UrlKey(qualifier), out var removed))
        {
            return false;
        }

        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFunctionUrlIndexGrain>(removed.UrlId).SetAsync(null);
        return true;
    }

    public Task<IReadOnlyList<FunctionUrlSetting>> ListUrlsAsync()
    {
        Existing();
        return Task.FromResult<IReadOnlyList<FunctionUrlSetting>>([.. state.State.Urls.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => u.Value)]);
    }

    public Task<PoolSettings> GetPoolSettingsAsync(string version)
    {
        if (Find(version) is null)
        {
            throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, version));
        }

        return Task.FromResult(Settings(version)!);
    }

    /// <summary>A version's pool settings; its provisioned count is its own config plus those of aliases pointing at it.</summary>
    private PoolSettings? Settings(string version) => Serving(version) is { } definition
        ? new PoolSettings(definition.ToEnvironmentSpec(), state.State.ReservedConcurrency, state.State.Provisioned
            .Where(p => p.Key == version || state.State.Aliases.GetValueOrDefault(p.Key)?.FunctionVersion == version)
            .Sum(p => p.Value.Requested), definition.State)
        : null;

    /// <summary>Checks the alias's versions exist and applies its routing (at most one additional version, not $LATEST, not the primary).</summary>
    private AliasDefinition Routed(AliasDefinition alias, IReadOnlyDictionary<string, double>? weights)
    {
        if (Find(alias.FunctionVersion) is null)
        {
            throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, alias.FunctionVersion));
        }

        if (weights is null || weights.Count == 0)
        {
            return alias;
        }

        if (weights.Count > 1)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Number of items in AdditionalVersionWeights cannot be greater than 1");
        }

        var (version, weight) = weights.First();
        if (version == alias.FunctionVersion)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"Invalid function version {version}. Function version {version} is already included in routing configuration.");
        }

        if (version == "$LATEST" || alias.FunctionVersion == "$LATEST")
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "$LATEST is not supported for an alias pointing to more than 1 version");
        }

        if (Find(version) is null)
        {
            throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, version));
        }

        return alias with { AdditionalVersion = version, AdditionalWeight = weight };
    }

    private AliasDefinition ExistingAlias(string name)
    {
        Existing();
        return state.State.Aliases.GetValueOrDefault(name)
            ?? throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"Alias not found: {FunctionArns.Qualified(Arn, name)}");
    }

    private static string UrlKey(string? qualifier) => qualifier ?? "";

    /// <summary>A URL id as Lambda's look: 32 lower-case letters and digits.</summary>
    private static string NewUrlId() => Tagging.ResourceIds.New(32);

    /// <summary>The version a qualifier names: an alias's primary version, or the qualifier itself.</summary>
    private string VersionOf(string qualifier) => state.State.Aliases.GetValueOrDefault(qualifier)?.FunctionVersion ?? qualifier;

    private FunctionDefinition? Find(string version) => version == "$LATEST"
        ? state.State.Definition
        : state.State.Definition is null ? null : state.State.Versions.GetValueOrDefault(version);

    private async Task<FunctionDefinition> SaveLatestAsync(FunctionDefinition updated)
    {
        updated = updated with
        {
            LastModified = time.GetUtcNow(),
            RevisionId = Guid.NewGuid().ToString(),
            ConfigRevision = Guid.NewGuid().ToString("N"),
        };
        state.State.Definition = updated;
        await state.WriteStateAsync();
        // Environments of the old revision must not serve another invocation.
        await Pool("$LATEST").ConfigureAsync(Settings("$LATEST"));
        return updated;
    }

    /// <summary>Concurrency settings span every version: each version's pool hears of a change.</summary>
    private Task ConfigurePoolsAsync() =>
        Task.WhenAll(state.State.Versions.Keys.Append("$LATEST").Select(v => Pool(v).ConfigureAsync(Settings(v))));

    private FunctionDefinition Existing() =>
        state.State.Definition ?? throw LambdaServiceException.FunctionNotFound(Arn);

    /// <summary>The definition whose code runs a version's invocations: $LATEST's previous one while its new image is pulled.</summary>
    private FunctionDefinition? Serving(string version) =>
        version == "$LATEST" && state.State.PreviousLatest is { } previous && state.State.Definition is { LastUpdateStatus: "InProgress" } ? previous : Find(version);

    /// <summary>
    /// Lambda takes no other change, nor a new version, while a function's creation or last update is still being applied
    /// (here: an image being pulled): ResourceConflictException.
    /// </summary>
    private static void RefuseWhileUpdating(FunctionDefinition current)
    {
        if (current.State == "Pending")
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, "The operation cannot be performed at this time. The function is currently in the following state: Pending");
        }

        if (current.LastUpdateStatus == "InProgress")
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, $"The operation cannot be performed at this time. An update is in progress for resource: {current.FunctionArn}");
        }
    }

    private static void CheckRevision(FunctionDefinition current, string? revisionId)
    {
        if (revisionId is not null && revisionId != current.RevisionId)
        {
            throw new LambdaServiceException(LambdaErrorType.PreconditionFailedException,
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    private IFunctionVersionGrain Pool(string version) => GrainFactory.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Of(Name, version));

    private IAccountConcurrencyGrain Account() => GrainFactory.GetGrain<IAccountConcurrencyGrain>(node.Value.AccountId);
}
