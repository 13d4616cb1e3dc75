namespace LambdaCluster.Runtimes.Logs;

/// <summary>
/// Log groups, streams and events. Appends are buffered and written in batches (never one write per
/// line); every read sees what was appended before it, flushed or not.
/// </summary>
public interface ILogStore
{
    /// <summary>Queues events for a stream, creating the group and stream when new. Never blocks on I/O.</summary>
    void Append(string group, string stream, IReadOnlyList<LogEvent> events);

    /// <summary>Writes queued events to storage.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<LogGroupInfo>> DescribeGroupsAsync(string? prefix, CancellationToken cancellationToken);

    /// <summary>The group's streams, or null when the group does not exist.</summary>
    Task<IReadOnlyList<LogStreamInfo>?> DescribeStreamsAsync(string group, CancellationToken cancellationToken);

    /// <summary>All events of one stream in order, or null when the group or stream does not exist.</summary>
    Task<IReadOnlyList<LogEvent>?> ReadStreamAsync(string group, string stream, CancellationToken cancellationToken);

    /// <summary>Deletes a group with all its streams; false when it did not exist.</summary>
    Task<bool> DeleteGroupAsync(string group, CancellationToken cancellationToken);

    Task<bool> CreateGroupAsync(string group, CancellationToken cancellationToken);
}
