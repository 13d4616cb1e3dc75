using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.EventSources;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Grains.Streams;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Create/Get/Update/Delete/ListEventSourceMappings for SQS queues and Kinesis streams. Each mapping is an <see cref="IEventSourceMappingGrain"/>, which polls while enabled.</summary>
public sealed class EventSourceMappingApi(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    private string Region => node.Value.Region;

    private string AccountId => node.Value.AccountId;

    public async Task CreateAsync(HttpContext http)
    {
        // Flow: read → the function (and qualifier) must exist → the source must be a queue or stream of this cluster → the
        // settings must be valid for it → one mapping per source and function → store, start polling → 202 Creating.
        var request = JsonBody.Read(http, LambdaJsonContext.Default.EventSourceMappingRequestDto);
        var sourceArn = request.EventSourceArn ?? throw Missing("eventSourceArn");
        var (function, qualifier) = await FunctionAsync(request.FunctionName ?? throw Missing("functionName"));
        var source = await SourceAsync(sourceArn);
        var fresh = new EventSourceMapping
        {
            Uuid = Guid.NewGuid().ToString(),
            EventSourceArn = sourceArn,
            FunctionName = function,
            Qualifier = qualifier,
            LastModified = time.GetUtcNow(),
            BatchSize = source.Stream ? 100 : 10,
            Tags = TagsApi.Validated(request.Tags),
        };
        var mapping = source.Stream ? ValidatedStream(fresh, request, creating: true) : Validated(fresh, request, source.Fifo);

        foreach (var existing in await AllAsync())
        {
            if (existing.EventSourceArn == sourceArn && existing.FunctionName == function)
            {
                throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, source.Stream
                    ? $"The event source arn (\" {sourceArn} \") and function (\" {function} \") provided mapping already exists. Please update or delete the existing mapping with UUID {existing.Uuid}"
                    : $"An event source mapping with SQS arn (\" {sourceArn} \") and function (\" {function} \") already exists. Please update or delete the existing mapping with UUID {existing.Uuid}");
            }
        }

        await grains.GetGrain<IEventSourceMappingGrain>(mapping.Uuid).PutAsync(mapping);
        await Registry.AddAsync(mapping.Uuid);
        await LambdaResults.WriteAsync(http, StatusCodes.Status202Accepted, Dto(mapping, "Creating"), LambdaJsonContext.Default.EventSourceMappingConfigurationDto);
    }

    public async Task GetAsync(HttpContext http, string uuid)
    {
        var mapping = await MappingAsync(uuid);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(mapping, mapping.Enabled ? "Enabled" : "Disabled"), LambdaJsonContext.Default.EventSourceMappingConfigurationDto);
    }

    public async Task UpdateAsync(HttpContext http, string uuid)
    {
        var current = await MappingAsync(uuid);
        var request = JsonBody.Read(http, LambdaJsonContext.Default.EventSourceMappingRequestDto);
        if (request.EventSourceArn is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "The event source of a mapping cannot be changed.");
        }

        var (function, qualifier) = request.FunctionName is { } name ? await FunctionAsync(name) : (current.FunctionName, current.Qualifier);
        var source = await SourceAsync(current.EventSourceArn);
        var changed = current with { FunctionName = function, Qualifier = qualifier, LastModified = time.GetUtcNow() };
        var updated = source.Stream ? ValidatedStream(changed, request, creating: false) : Validated(changed, request, source.Fifo);
        await grains.GetGrain<IEventSourceMappingGrain>(uuid).PutAsync(updated);
        await LambdaResults.WriteAsync(http, StatusCodes.Status202Accepted, Dto(updated, "Updating"), LambdaJsonContext.Default.EventSourceMappingConfigurationDto);
    }

    public async Task DeleteAsync(HttpContext http, string uuid)
    {
        var mapping = await grains.GetGrain<IEventSourceMappingGrain>(CheckedUuid(uuid)).DeleteAsync() ?? throw NotFound();
        await Registry.RemoveAsync(uuid);
        await LambdaResults.WriteAsync(http, StatusCodes.Status202Accepted, Dto(mapping, "Deleting"), LambdaJsonContext.Default.EventSourceMappingConfigurationDto);
    }

    public async Task ListAsync(HttpContext http)
    {
        var source = http.Request.Query["EventSourceArn"].FirstOrDefault();
        var functionFilter = http.Request.Query["FunctionName"].FirstOrDefault() is { } f ? FunctionReference.Parse(f, Region, AccountId).Name : null;
        var all = (await AllAsync()).Where(m => (source is null || m.EventSourceArn == source) && (functionFilter is null || m.FunctionName == functionFilter)).ToList();
        var (page, next) = ListPage.Of(http, all, m => m.Uuid);
        var response = new ListEventSourceMappingsResponse { EventSourceMappings = page.Select(m => Dto(m, m.Enabled ? "Enabled" : "Disabled")).ToList(), NextMarker = next };
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, response, LambdaJsonContext.Default.ListEventSourceMappingsResponse);
    }

    /// <summary>SQS settings by Lambda's rules; members for other sources are refused rather than silently ignored.</summary>
    private static EventSourceMapping Validated(EventSourceMapping mapping, EventSourceMappingRequestDto request, bool fifo)
    {
        if (request.StartingPosition is not null || request.StartingPositionTimestamp is not null || request.ParallelizationFactor is not null
            || request.BisectBatchOnFunctionError is not null || request.MaximumRetryAttempts is not null || request.MaximumRecordAgeInSeconds is not null
            || request.DestinationConfig is not null || request.TumblingWindowInSeconds is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "StartingPosition, ParallelizationFactor, BisectBatchOnFunctionError, MaximumRetryAttempts, MaximumRecordAgeInSeconds, DestinationConfig and TumblingWindowInSeconds are not valid for SQS event sources.");
        }

        if (request.FilterCriteria is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "FilterCriteria is not supported by this cluster yet.");
        }

        var batchSize = request.BatchSize ?? mapping.BatchSize;
        var window = request.MaximumBatchingWindowInSeconds ?? mapping.MaximumBatchingWindowInSeconds;
        if (batchSize is < 1 or > 10_000 || (fifo && batchSize > 10))
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, fifo
                ? $"BatchSize {batchSize} is not valid for a FIFO queue: it must be between 1 and 10."
                : $"1 validation error detected: Value '{batchSize}' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000");
        }

        if (window is < 0 or > 300)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{window}' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300");
        }

        if (batchSize > 10 && window == 0)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }

        var maximumConcurrency = request.ScalingConfig is { } scaling ? scaling.MaximumConcurrency : mapping.MaximumConcurrency;
        if (maximumConcurrency is < 2 or > 1000)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{maximumConcurrency}' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must be between 2 and 1000");
        }

        var reportFailures = ReportBatchItemFailures(request, mapping);

        return mapping with
        {
            Enabled = request.Enabled ?? mapping.Enabled,
            BatchSize = batchSize,
            MaximumBatchingWindowInSeconds = window,
            MaximumConcurrency = maximumConcurrency,
            ReportBatchItemFailures = reportFailures,
        };
    }

    private async Task<(string Name, string? Qualifier)> FunctionAsync(string functionName)
    {
        var reference = FunctionReference.Parse(functionName, Region, AccountId);
        var grain = grains.GetGrain<IFunctionGrain>(reference.Name);
        var exists = FunctionVersions.IsAlias(reference.Qualifier)
            ? await grain.GetAliasAsync(reference.Qualifier!) is not null
            : await grain.GetVersionAsync(reference.Qualifier ?? "$LATEST") is not null;
        var arn = FunctionArns.Function(Region, AccountId, reference.Name);
        return exists ? (reference.Name, reference.Qualifier) : throw LambdaServiceException.FunctionNotFound(reference.Qualifier is null ? arn : FunctionArns.Qualified(arn, reference.Qualifier));
    }

    /// <summary>The source an ARN names, which must exist: a queue or a stream of this cluster; any other is not one it polls.</summary>
    private async Task<(bool Stream, bool Fifo)> SourceAsync(string sourceArn)
    {
        if (StreamKeys.FromArn(sourceArn, Region, AccountId) is { } stream)
        {
            return await grains.GetGrain<IStreamGrain>(stream).DescribeAsync() is not null
                ? (true, false)
                : throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"Stream not found: {sourceArn}");
        }

        if (QueueNames.FromArn(sourceArn, Region, AccountId) is not { } queue)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Unrecognized event source.");
        }

        var grain = grains.GetGrain<IQueueGrain>(queue);
        if (!await grain.ExistsAsync())
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.");
        }

        return (false, (await grain.GetSettingsAsync()).FifoQueue);
    }

    /// <summary>Kinesis settings by Lambda's rules (StartingPosition on create, retries, record age, bisect, parallelization, on-failure destination).</summary>
    private EventSourceMapping ValidatedStream(EventSourceMapping mapping, EventSourceMappingRequestDto request, bool creating)
    {
        if (request.ScalingConfig is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "ScalingConfig is only valid for SQS event sources.");
        }

        if (request.FilterCriteria is not null || request.TumblingWindowInSeconds is > 0)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "FilterCriteria and TumblingWindowInSeconds are not supported by this cluster yet.");
        }

        var startingPosition = mapping.StartingPosition;
        var timestamp = mapping.StartingPositionTimestamp;
        if (creating)
        {
            startingPosition = request.StartingPosition ?? throw Missing("startingPosition");
            if (startingPosition is not ("TRIM_HORIZON" or "LATEST" or "AT_TIMESTAMP"))
            {
                throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{startingPosition}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
            }

            timestamp = request.StartingPositionTimestamp is { } seconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null;
            if (startingPosition == "AT_TIMESTAMP" && timestamp is null)
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "StartingPositionTimestamp must be set when StartingPosition is AT_TIMESTAMP.");
            }
        }
        else if (request.StartingPosition is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "The starting position of a mapping cannot be changed.");
        }

        var batchSize = request.BatchSize ?? mapping.BatchSize;
        var window = request.MaximumBatchingWindowInSeconds ?? mapping.MaximumBatchingWindowInSeconds;
        var parallelization = request.ParallelizationFactor ?? mapping.ParallelizationFactor;
        var retries = request.MaximumRetryAttempts ?? mapping.MaximumRetryAttempts;
        var age = request.MaximumRecordAgeInSeconds ?? mapping.MaximumRecordAgeInSeconds;
        Range("batchSize", batchSize, 1, 10_000);
        Range("maximumBatchingWindowInSeconds", window, 0, 300);
        Range("parallelizationFactor", parallelization, 1, 10);
        Range("maximumRetryAttempts", retries, -1, 10_000);
        if (age != -1)
        {
            Range("maximumRecordAgeInSeconds", age, 60, 604_800);
        }

        var onFailure = request.DestinationConfig is { } destinations ? destinations.OnFailure?.Destination : mapping.OnFailureDestination;
        if (request.DestinationConfig?.OnSuccess?.Destination is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Unsupported DestinationConfig parameter for given event source mapping type.");
        }

        if (onFailure is not null && QueueNames.FromArn(onFailure, Region, AccountId) is null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"The on-failure destination {onFailure} must be an SQS queue of this account and region.");
        }

        var reportFailures = ReportBatchItemFailures(request, mapping);

        return mapping with
        {
            Enabled = request.Enabled ?? mapping.Enabled,
            BatchSize = batchSize,
            MaximumBatchingWindowInSeconds = window,
            StartingPosition = startingPosition,
            StartingPositionTimestamp = timestamp,
            ParallelizationFactor = parallelization,
            BisectBatchOnFunctionError = request.BisectBatchOnFunctionError ?? mapping.BisectBatchOnFunctionError,
            MaximumRetryAttempts = retries,
            MaximumRecordAgeInSeconds = age,
            OnFailureDestination = onFailure,
            ReportBatchItemFailures = reportFailures,
        };
    }

    /// <summary>FunctionResponseTypes: absent keeps the current setting; else empty or exactly [ReportBatchItemFailures].</summary>
    private static bool ReportBatchItemFailures(EventSourceMappingRequestDto request, EventSourceMapping mapping)
    {
        var types = request.FunctionResponseTypes;
        if (types is not null && (types.Count > 1 || types.Any(t => t != "ReportBatchItemFailures")))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]");
        }

        return types is null ? mapping.ReportBatchItemFailures : types.Count == 1;
    }

    private static void Range(string member, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException,
                $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {(value < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}");
        }
    }

    private async Task<EventSourceMapping> MappingAsync(string uuid) =>
        await grains.GetGrain<IEventSourceMappingGrain>(CheckedUuid(uuid)).GetAsync() ?? throw NotFound();

    private async Task<List<EventSourceMapping>> AllAsync()
    {
        var uuids = await Registry.ListAsync(null, 10_000);
        var mappings = await Task.WhenAll(uuids.Select(u => grains.GetGrain<IEventSourceMappingGrain>(u).GetAsync()));
        return mappings.OfType<EventSourceMapping>().ToList();
    }

    private IFunctionRegistryGrain Registry => grains.GetGrain<IFunctionRegistryGrain>(RegistryKeys.EventSourceMappings(AccountId));

    private static string CheckedUuid(string uuid) => Guid.TryParseExact(uuid, "D", out _) ? uuid.ToLowerInvariant() : throw NotFound();

    private static LambdaServiceException NotFound() => new(LambdaErrorType.ResourceNotFoundException, "The resource you requested does not exist.");

    private static LambdaServiceException Missing(string member) =>
        new(LambdaErrorType.ValidationException, $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    private EventSourceMappingConfigurationDto Dto(EventSourceMapping mapping, string state)
    {
        var functionArn = FunctionArns.Function(Region, AccountId, mapping.FunctionName);
        return new EventSourceMappingConfigurationDto
        {
            UUID = mapping.Uuid,
            BatchSize = mapping.BatchSize,
            MaximumBatchingWindowInSeconds = mapping.MaximumBatchingWindowInSeconds,
            EventSourceArn = mapping.EventSourceArn,
            FunctionArn = mapping.Qualifier is null ? functionArn : FunctionArns.Qualified(functionArn, mapping.Qualifier),
            LastModified = mapping.LastModified.ToUnixTimeMilliseconds() / 1000.0,
            LastProcessingResult = mapping.LastProcessingResult,
            State = state,
            FunctionResponseTypes = mapping.ReportBatchItemFailures ? ["ReportBatchItemFailures"] : [],
            ScalingConfig = mapping.MaximumConcurrency is { } maximum ? new ScalingConfigDto { MaximumConcurrency = maximum } : null,
            EventSourceMappingArn = $"arn:aws:lambda:{Region}:{AccountId}:event-source-mapping:{mapping.Uuid}",
            StartingPosition = mapping.IsStream ? mapping.StartingPosition : null,
            StartingPositionTimestamp = mapping.StartingPositionTimestamp is { } at ? at.ToUnixTimeMilliseconds() / 1000.0 : null,
            ParallelizationFactor = mapping.IsStream ? mapping.ParallelizationFactor : null,
            BisectBatchOnFunctionError = mapping.IsStream ? mapping.BisectBatchOnFunctionError : null,
            MaximumRetryAttempts = mapping.IsStream ? mapping.MaximumRetryAttempts : null,
            MaximumRecordAgeInSeconds = mapping.IsStream ? mapping.MaximumRecordAgeInSeconds : null,
            TumblingWindowInSeconds = mapping.IsStream ? 0 : null,
            DestinationConfig = mapping.IsStream ? new DestinationConfigDto { OnFailure = new DestinationDto { Destination = mapping.OnFailureDestination } } : null,
        };
    }
}
