using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.Concurrency;

/// <summary>Fails node start-up on quotas that cannot work, naming the setting.</summary>
public sealed class ConcurrencyOptionsValidator : IValidateOptions<ConcurrencyOptions>
{
    public ValidateOptionsResult Validate(string? name, ConcurrencyOptions options)
    {
        var failures = new List<string>();
        if (options.AccountLimit < 1)
        {
            failures.Add($"{ConcurrencyOptions.Section}:{nameof(options.AccountLimit)} must be at least 1.");
        }

        if (options.UnreservedMinimum < 0 || options.UnreservedMinimum > options.AccountLimit)
        {
            failures.Add($"{ConcurrencyOptions.Section}:{nameof(options.UnreservedMinimum)} must be between 0 and {nameof(options.AccountLimit)}.");
        }

        if (options.ScalingRate < 1)
        {
            failures.Add($"{ConcurrencyOptions.Section}:{nameof(options.ScalingRate)} must be at least 1.");
        }

        if (options.ScalingWindow <= TimeSpan.Zero)
        {
            failures.Add($"{ConcurrencyOptions.Section}:{nameof(options.ScalingWindow)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
