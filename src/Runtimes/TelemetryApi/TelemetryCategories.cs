namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>The record types a subscriber chooses (<c>"types":["platform","function","extension"]</c>).</summary>
[Flags]
internal enum TelemetryCategories
{
    None = 0,

    /// <summary>platform.* records: the environment's phases, reports, extensions and subscriptions.</summary>
    Platform = 1,

    /// <summary>What the function's process writes.</summary>
    Function = 2,

    /// <summary>What the extensions' processes write.</summary>
    Extension = 4,
}
