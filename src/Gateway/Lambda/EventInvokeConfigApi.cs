using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Put/Get/Update/Delete/ListFunctionEventInvokeConfig: retries, event age and destinations of asynchronous invocations.</summary>
public sealed class EventInvokeConfigApi(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    private string Region => node.Value.Region;

    private string AccountId => node.Value.AccountId;

    public Task PutAsync(HttpContext http, string functionName) => WriteAsync(http, functionName, merge: false);

    public Task UpdateAsync(HttpContext http, string functionName) => WriteAsync(http, functionName, merge: true);

    public async Task GetAsync(HttpContext http, string functionName)
    {
        var (target, arn) = await TargetAsync(http, functionName);
        var config = await Configs(target).GetAsync(target.Version) ?? throw NoConfig(arn);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(config, arn), LambdaJsonContext.Default.FunctionEventInvokeConfigDto);
    }

    public async Task DeleteAsync(HttpContext http, string functionName)
    {
        var (target, arn) = await TargetAsync(http, functionName);
        if (!await Configs(target).DeleteAsync(target.Version))
        {
            throw NoConfig(arn);
        }

        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    public async Task ListAsync(HttpContext http, string functionName)
    {
        var (target, _) = await TargetAsync(http, functionName);
        var functionArn = FunctionArns.Function(Region, AccountId, target.Name);
        var all = await Configs(target).ListAsync();
        var (page, next) = ListPage.Of(http, all, c => c.Qualifier);
        var response = new ListFunctionEventInvokeConfigsResponse
        {
            FunctionEventInvokeConfigs = page.Select(c => Dto(c, FunctionArns.Qualified(functionArn, c.Qualifier))).ToList(),
            NextMarker = next,
        };
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, response, LambdaJsonContext.Default.ListFunctionEventInvokeConfigsResponse);
    }

    private async Task WriteAsync(HttpContext http, string functionName, bool merge)
    {
        // Flow: the function (and its version or alias) must exist → validate the body → Put replaces, Update merges
        // into the existing config (which must exist) → answer with the stored config.
        var (target, arn) = await TargetAsync(http, functionName);
        var request = JsonBody.Read(http, LambdaJsonContext.Default.FunctionEventInvokeConfigDto);
        var onSuccess = request.DestinationConfig?.OnSuccess?.Destination;
        var onFailure = request.DestinationConfig?.OnFailure?.Destination;
        if (request.MaximumRetryAttempts is null && request.MaximumEventAgeInSeconds is null && onSuccess is null && onFailure is null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "You must specify at least one of error handling or destination setting.");
        }

        if (request.MaximumRetryAttempts is { } retries && retries is < 0 or > 2)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{retries}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value {(retries < 0 ? "greater than or equal to 0" : "less than or equal to 2")}");
        }

        if (request.MaximumEventAgeInSeconds is { } age && age is < 60 or > 21_600)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{age}' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value {(age < 60 ? "greater than or equal to 60" : "less than or equal to 21600")}");
        }

        CheckDestination(onSuccess, target);
        CheckDestination(onFailure, target);
        var configs = Configs(target);
        var existing = await configs.GetAsync(target.Version);
        if (merge && existing is null)
        {
            throw NoConfig(arn);
        }

        var config = merge
            ? existing! with
            {
                MaximumRetryAttempts = request.MaximumRetryAttempts ?? existing.MaximumRetryAttempts,
                MaximumEventAgeInSeconds = request.MaximumEventAgeInSeconds ?? existing.MaximumEventAgeInSeconds,
                OnSuccess = request.DestinationConfig?.OnSuccess is null ? existing.OnSuccess : onSuccess,
                OnFailure = request.DestinationConfig?.OnFailure is null ? existing.OnFailure : onFailure,
                LastModified = time.GetUtcNow(),
            }
            : new EventInvokeConfig
            {
                Qualifier = target.Version,
                MaximumRetryAttempts = request.MaximumRetryAttempts,
                MaximumEventAgeInSeconds = request.MaximumEventAgeInSeconds,
                OnSuccess = onSuccess,
                OnFailure = onFailure,
                LastModified = time.GetUtcNow(),
            };
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(await configs.PutAsync(config), arn), LambdaJsonContext.Default.FunctionEventInvokeConfigDto);
    }

    /// <summary>A destination is an SQS queue or a Lambda function of this region and account, and not the function itself.</summary>
    private void CheckDestination(string? destination, FunctionTarget target)
    {
        if (destination is null)
        {
            return;
        }

        if (FunctionArns.TryParseFunction(destination, Region, AccountId, out var function, out _))
        {
            if (function == target.Name)
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "You can't specify the function as a destination for itself.");
            }

            return;
        }

        if (QueueNames.FromArn(destination, Region, AccountId) is null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"The provided destination config DestinationConfig is invalid: {destination} is neither an SQS queue nor a Lambda function of this account and region.");
        }
    }

    /// <summary>The target, which must exist (a version or an alias when qualified), and its qualified ARN ($LATEST when unqualified).</summary>
    private async Task<(FunctionTarget Target, string Arn)> TargetAsync(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        var arn = FunctionArns.Qualified(FunctionArns.Function(Region, AccountId, target.Name), target.Version);
        var function = grains.GetGrain<IFunctionGrain>(target.Name);
        var exists = FunctionVersions.IsAlias(target.Qualifier)
            ? await function.GetAliasAsync(target.Qualifier!) is not null
            : await function.GetVersionAsync(target.Version) is not null;
        return exists ? (target, arn) : throw LambdaServiceException.FunctionNotFound(arn);
    }

    private IEventInvokeConfigGrain Configs(FunctionTarget target) => grains.GetGrain<IEventInvokeConfigGrain>(target.Name);

    private static LambdaServiceException NoConfig(string arn) =>
        new(LambdaErrorType.ResourceNotFoundException, $"The function {arn} doesn't have an EventInvokeConfig");

    private static FunctionEventInvokeConfigDto Dto(EventInvokeConfig config, string arn) => new()
    {
        LastModified = config.LastModified.ToUnixTimeMilliseconds() / 1000.0,
        FunctionArn = arn,
        MaximumRetryAttempts = config.MaximumRetryAttempts,
        MaximumEventAgeInSeconds = config.MaximumEventAgeInSeconds,
        DestinationConfig = new DestinationConfigDto
        {
            OnSuccess = new DestinationDto { Destination = config.OnSuccess },
            OnFailure = new DestinationDto { Destination = config.OnFailure },
        },
    };
}
