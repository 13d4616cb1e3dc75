using System.Text.Json.Serialization;

namespace LambdaCluster.Runtimes.Extensions;

/// <summary>What <c>/extension/register</c> answers: the function's name, version and handler, and the account with the <c>accountId</c> feature.</summary>
internal sealed record RegisterResponseBody(string FunctionName, string FunctionVersion, string Handler, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccountId);
