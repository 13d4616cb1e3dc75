using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.S3;

/// <summary>Fails node start-up on a notification endpoint that cannot work, naming it.</summary>
public sealed partial class S3OptionsValidator : IValidateOptions<S3Options>
{
    public ValidateOptionsResult Validate(string? name, S3Options options)
    {
        var failures = new List<string>();
        foreach (var webhook in options.Webhooks)
        {
            if (!WebhookId().IsMatch(webhook.Id))
            {
                failures.Add($"{S3Options.Section}:Webhooks ({webhook.Id}): Id must be 1 to 64 letters, digits, '-' or '_'.");
            }

            if (webhook.Token.Length < 16)
            {
                failures.Add($"{S3Options.Section}:Webhooks ({webhook.Id}): Token must be at least 16 characters.");
            }

            if (webhook.FunctionName.Length == 0)
            {
                failures.Add($"{S3Options.Section}:Webhooks ({webhook.Id}): FunctionName is required.");
            }
        }

        failures.AddRange(options.Webhooks.GroupBy(w => w.Id).Where(g => g.Count() > 1).Select(g => $"{S3Options.Section}:Webhooks: {g.Key} is defined twice."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex WebhookId();
}
