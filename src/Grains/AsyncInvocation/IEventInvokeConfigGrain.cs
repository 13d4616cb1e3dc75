namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>The asynchronous-invocation configs of one function (key: its name), by qualifier.</summary>
[Alias("lambda.IEventInvokeConfigGrain")]
public interface IEventInvokeConfigGrain : IGrainWithStringKey
{
    [Alias("Put")] Task<EventInvokeConfig> PutAsync(EventInvokeConfig config);

    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave] Task<EventInvokeConfig?> GetAsync(string qualifier);

    [Alias("Delete")] Task<bool> DeleteAsync(string qualifier);

    [Alias("List")] Task<IReadOnlyList<EventInvokeConfig>> ListAsync();

    /// <summary>Forgets every config (the function was deleted).</summary>
    [Alias("Clear")] Task ClearAsync();
}
