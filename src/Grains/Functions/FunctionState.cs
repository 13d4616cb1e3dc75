using LambdaCluster.Grains.Aliases;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Permissions;
using LambdaCluster.Grains.Urls;

namespace LambdaCluster.Grains.Functions;

[GenerateSerializer, Alias("lambda.function-state")]
public sealed class FunctionState
{
    /// <summary>$LATEST, or null when the function does not exist.</summary>
    [Id(0)] public FunctionDefinition? Definition { get; set; }

    /// <summary>Published versions by number ("1", "2", ...): immutable snapshots of $LATEST.</summary>
    [Id(1)] public Dictionary<string, FunctionDefinition> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last version number issued; numbers are never reused, even after a version is deleted.</summary>
    [Id(2)] public int LastVersion { get; set; }

    /// <summary>The ConfigRevision of $LATEST when it was last published (publishing an unchanged $LATEST returns that version).</summary>
    [Id(3)] public string? LastPublishedRevision { get; set; }

    [Id(4)] public int? ReservedConcurrency { get; set; }

    /// <summary>Provisioned concurrency by qualifier (a version number).</summary>
    [Id(5)] public Dictionary<string, ProvisionedConcurrencySetting> Provisioned { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Aliases by name.</summary>
    [Id(6)] public Dictionary<string, AliasDefinition> Aliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Function URLs by qualifier ("" for the unqualified function, else an alias name).</summary>
    [Id(7)] public Dictionary<string, FunctionUrlSetting> Urls { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Resource-based policy statements by qualifier ("" for the unqualified function, else a version or alias).</summary>
    [Id(8)] public Dictionary<string, List<PolicyStatement>> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The function's tags (null until TagResource; <see cref="FunctionDefinition.Tags"/> holds those given at creation).</summary>
    [Id(9)] public Dictionary<string, string>? Tags { get; set; }

    /// <summary>PutFunctionRecursionConfig: Terminate (Lambda's default) or Allow.</summary>
    [Id(10)] public string RecursiveLoop { get; set; } = "Terminate";

    /// <summary>PutRuntimeManagementConfig by qualifier ("" for $LATEST).</summary>
    [Id(11)] public Dictionary<string, RuntimeManagementSetting> RuntimeManagement { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The code signing configuration the function's deployments are checked against (PutFunctionCodeSigningConfig).</summary>
    [Id(12)] public string? CodeSigningConfigArn { get; set; }

    /// <summary>
    /// $LATEST as it was before an update to a new image that is still being pulled: it runs the invocations until the
    /// pull succeeds, and comes back if the pull fails (Lambda: during an update, and after a failed one, the function's
    /// previous code and configuration are what runs). Null when no such update is in progress.
    /// </summary>
    [Id(13)] public FunctionDefinition? PreviousLatest { get; set; }
}
