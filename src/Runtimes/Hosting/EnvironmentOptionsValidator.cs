using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Hosting;

/// <summary>Fails node start-up on settings that cannot work, naming the setting.</summary>
public sealed class EnvironmentOptionsValidator : IValidateOptions<EnvironmentOptions>
{
    public ValidateOptionsResult Validate(string? name, EnvironmentOptions options)
    {
        var failures = new List<string>();
        if (options.RuntimeApiSlots is < 1 or > 4096)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.RuntimeApiSlots)} must be between 1 and 4096.");
        }

        if (options.MaxConcurrentInits is < 1 or > 1024)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.MaxConcurrentInits)} must be between 1 and 1024.");
        }

        if (options.KeepWarm <= TimeSpan.Zero)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.KeepWarm)} must be positive.");
        }

        if (options.LeaseHold <= TimeSpan.Zero || options.LeaseHold > options.KeepWarm)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.LeaseHold)} must be positive and at most {nameof(options.KeepWarm)}.");
        }

        if (options.PrewarmBudgetMb is < 0 or > 1_048_576)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.PrewarmBudgetMb)} must be between 0 and 1048576.");
        }

        if (options.IdleHistoryRange < TimeSpan.FromMinutes(1) || options.IdleHistoryRange > TimeSpan.FromDays(1) || options.IdleHistoryRange.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.IdleHistoryRange)} must be a whole number of minutes between 00:01:00 and 1.00:00:00.");
        }

        if (options.InitTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.InitTimeout)} must be positive.");
        }

        if (options.SandboxUserIdBase is < 1000 or > int.MaxValue - 65536)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.SandboxUserIdBase)} must be at least 1000 and leave room for 65536 users above it.");
        }

        if (options.PidsLimit is < 16 or > 1_000_000)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.PidsLimit)} must be between 16 and 1000000.");
        }

        if (options.SnapStartTemplates < 1)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.SnapStartTemplates)} must be at least 1.");
        }

        if (options.PrestartBudgetMb < 0 || options.PrestartPerKey is < 0 or > 64)
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.PrestartBudgetMb)} must be at least 0, and {nameof(options.PrestartPerKey)} between 0 and 64.");
        }

        if (!Directory.Exists(options.RuntimeClientsDirectory))
        {
            failures.Add($"{EnvironmentOptions.Section}:{nameof(options.RuntimeClientsDirectory)} '{options.RuntimeClientsDirectory}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
