using LambdaCluster.Grains.Aliases;
using LambdaCluster.Grains.Concurrency;
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
}
