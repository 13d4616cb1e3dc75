using System.Globalization;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Reserved concurrency (Put/Get/DeleteFunctionConcurrency) and provisioned concurrency (Put/Get/Delete/ListProvisionedConcurrencyConfigs).</summary>
public sealed class ConcurrencyApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    private string Region => node.Value.Region;

    private string AccountId => node.Value.AccountId;

    public async Task PutReservedAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.ConcurrencyDto);
        var reserved = request.ReservedConcurrentExecutions
            ?? throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null");
        if (reserved < 0)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{reserved}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0");
        }

        await FunctionOnly(http, functionName).SetReservedConcurrencyAsync(reserved);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ConcurrencyDto { ReservedConcurrentExecutions = reserved }, LambdaJsonContext.Default.ConcurrencyDto);
    }

    public async Task GetReservedAsync(HttpContext http, string functionName)
    {
        var reserved = await FunctionOnly(http, functionName).GetReservedConcurrencyAsync();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ConcurrencyDto { ReservedConcurrentExecutions = reserved }, LambdaJsonContext.Default.ConcurrencyDto);
    }

    public async Task DeleteReservedAsync(HttpContext http, string functionName)
    {
        await FunctionOnly(http, functionName).SetReservedConcurrencyAsync(null);
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    public async Task PutProvisionedAsync(HttpContext http, string functionName)
    {
        var (grain, qualifier) = Qualified(http, functionName);
        var request = JsonBody.Read(http, LambdaJsonContext.Default.PutProvisionedConcurrencyConfigRequest);
        var count = request.ProvisionedConcurrentExecutions
            ?? throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must not be null");
        if (count < 1)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{count}' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        var status = await grain.PutProvisionedConcurrencyAsync(qualifier, count);
        await LambdaResults.WriteAsync(http, StatusCodes.Status202Accepted, Dto(status, functionArn: null), LambdaJsonContext.Default.ProvisionedConcurrencyConfigDto);
    }

    public async Task GetProvisionedAsync(HttpContext http, string functionName)
    {
        if (http.Request.Query["List"].FirstOrDefault() == "ALL")
        {
            await ListProvisionedAsync(http, functionName);
            return;
        }

        var (grain, qualifier) = Qualified(http, functionName);
        var status = await grain.GetProvisionedConcurrencyAsync(qualifier) ?? throw NoConfig();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, Dto(status, functionArn: null), LambdaJsonContext.Default.ProvisionedConcurrencyConfigDto);
    }

    public async Task DeleteProvisionedAsync(HttpContext http, string functionName)
    {
        var (grain, qualifier) = Qualified(http, functionName);
        if (!await grain.DeleteProvisionedConcurrencyAsync(qualifier))
        {
            throw NoConfig();
        }

        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    private async Task ListProvisionedAsync(HttpContext http, string functionName)
    {
        var name = FunctionOnlyName(http, functionName);
        var arn = FunctionArns.Function(Region, AccountId, name);
        var all = await grains.GetGrain<IFunctionGrain>(name).ListProvisionedConcurrencyAsync();
        var (page, next) = ListPage.Of(http, all, s => s.Qualifier);
        var items = page.Select(s => Dto(s, FunctionArns.Qualified(arn, s.Qualifier))).ToList();
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new ListProvisionedConcurrencyConfigsResponse(items, next), LambdaJsonContext.Default.ListProvisionedConcurrencyConfigsResponse);
    }

    /// <summary>Reserved concurrency belongs to the function, never to a version or alias.</summary>
    private IFunctionGrain FunctionOnly(HttpContext http, string functionName) =>
        grains.GetGrain<IFunctionGrain>(FunctionOnlyName(http, functionName));

    private string FunctionOnlyName(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        if (target.Qualifier is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.");
        }

        return target.Name;
    }

    private (IFunctionGrain Grain, string Qualifier) Qualified(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        if (string.IsNullOrEmpty(target.Qualifier))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null");
        }

        return (grains.GetGrain<IFunctionGrain>(target.Name), target.Qualifier);
    }

    private static ProvisionedConcurrencyConfigDto Dto(ProvisionedConcurrencyStatus status, string? functionArn) => new()
    {
        FunctionArn = functionArn,
        RequestedProvisionedConcurrentExecutions = status.Requested,
        AvailableProvisionedConcurrentExecutions = status.Available,
        AllocatedProvisionedConcurrentExecutions = status.Allocated,
        Status = status.Status,
        LastModified = status.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture),
    };

    private static LambdaServiceException NoConfig() =>
        new(LambdaErrorType.ProvisionedConcurrencyConfigNotFoundException, "No Provisioned Concurrency Config found for this function");
}
