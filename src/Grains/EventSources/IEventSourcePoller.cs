namespace LambdaCluster.Grains.EventSources;

/// <summary>The background work of an enabled mapping, run inside its grain: an SQS queue's or a stream's poller.</summary>
internal interface IEventSourcePoller
{
    bool Running { get; }

    string? LastProcessingResult { get; }

    void Start();

    void Stop();
}
