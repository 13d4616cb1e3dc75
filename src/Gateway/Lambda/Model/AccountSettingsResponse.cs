namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record AccountSettingsResponse(AccountLimitDto AccountLimit, AccountUsageDto AccountUsage);
