namespace LambdaCluster.Runtimes.Extensions;

/// <summary><c>POST /extension/register</c>'s body. <c>configurationKeys</c> is read only to be refused, as Lambda does.</summary>
internal sealed record RegisterRequestBody(List<string>? Events, List<string>? ConfigurationKeys);
