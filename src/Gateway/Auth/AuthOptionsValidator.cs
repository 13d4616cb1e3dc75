using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Auth;

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Credentials.Count == 0)
        {
            return ValidateOptionsResult.Fail($"{AuthOptions.Section}:Credentials must name at least one access key; requests are always authenticated.");
        }

        return options.Credentials.Any(c => string.IsNullOrWhiteSpace(c.AccessKeyId) || string.IsNullOrEmpty(c.SecretAccessKey))
            ? ValidateOptionsResult.Fail($"{AuthOptions.Section}:Credentials entries need both AccessKeyId and SecretAccessKey.")
            : ValidateOptionsResult.Success;
    }
}
