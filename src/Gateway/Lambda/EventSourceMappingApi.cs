using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.EventSources;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Create/Get/Update/Delete/ListEventSourceMappings. Each mapping is an <see cref="IEventSourceMappingGrain"/>, which polls while enabled.</summary>
public sealed class EventSourceMappingApi(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    private string Region => node.Value.Region;

    private string AccountId => node.Value.AccountId;

    public async Task CreateAsync(HttpContext http)
    {
        // Flow: read → the function (and qualifier) must exist → the source must be a queue of this cluster → the
        // settings must be valid for it → one mapping per source and function → store, start polling → 202 Creating.
        var request = JsonBody.Read(http, LambdaJsonContext.Default.EventSourceMappingRequestDto);
        var sourceArn = request.EventSourceArn ?? throw Missing("eventSourceArn");
        var (function, qualifier) = await FunctionAsync(request.FunctionName ?? throw Missing("functionName"));
        var queue = await QueueAsync(sourceArn);
        var mapping = Validated(new EventSourceMapping
        {
            Uuid = Guid.NewGuid().ToString(),
            EventSourceArn = sourceArn,
            FunctionName = function,
            Qualifier = qualifier,
            LastModified = time.GetUtcNow(),
        }, request, (await grains.GetGrain<IQueueGrain>(queue).GetSettingsAsync()).FifoQueue);

        foreach (var existing in await AllAsync())
        {
            if (existing.EventSourceArn == sourceArn && existing.FunctionName == function)
            {
                throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                    $"An event source mapping with SQS arn (\" {sourceArn} \") and function (\" {function} \") already exists. Please update or delete the existing mapping with UUID {existing.Uuid}");
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
        var queue = await QueueAsync(current.EventSourceArn);
        var updated = Validated(current with { FunctionName = function, Qualifier = qualifier, LastModified = time.GetUtcNow() }, request,
            (await grains.GetGrain<IQueueGrain>(queue).GetSettingsAsync()).FifoQueue);
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

        var types = request.FunctionResponseTypes;
        if (types is not null && (types.Count > 1 || types.Any(t => t != "ReportBatchItemFailures")))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]");
        }

        return mapping with
        {
            Enabled = request.Enabled ?? mapping.Enabled,
            BatchSize = batchSize,
            MaximumBatchingWindowInSeconds = window,
            MaximumConcurrency = maximumConcurrency,
            ReportBatchItemFailures = types is null ? mapping.ReportBatchItemFailures : types.Count == 1,
        };
    }

    private async Task<(string Name, string? Qualifier)> FunctionAsync(string functionName)
    {
        var reference = FunctionReference.Parse(functionName, Region, AccountId);
        var grain = grains.GetGrain<IFunctionGrain>(reference.Name);
        var exists = reference.Qualifier is null or "$LATEST" || reference.Qualifier.All(char.IsAsciiDigit)
            ? await grain.GetVersionAsync(reference.Qualifier ?? "$LATEST") is not null
            : await grain.GetAliasAsync(reference.Qualifier) is not null;
        var arn = FunctionArns.Function(Region, AccountId, reference.Name);
        return exists ? (reference.Name, reference.Qualifier) : throw LambdaServiceException.FunctionNotFound(reference.Qualifier is null ? arn : FunctionArns.Qualified(arn, reference.Qualifier));
    }

    /// <summary>The queue an SQS ARN names, which must exist; any other source is not one this cluster polls.</summary>
    private async Task<string> QueueAsync(string sourceArn)
    {
        if (QueueNames.FromArn(sourceArn, Region, AccountId) is not { } queue)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Unrecognized event source.");
        }

        if (!await grains.GetGrain<IQueueGrain>(queue).ExistsAsync())
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.");
        }

        return queue;
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
        };
    }
}
