using LambdaCluster.Runtimes.Logs;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>A log store that keeps every appended line in order, for assertions on what an environment wrote.</summary>
public sealed class RecordingLogStore : ILogStore
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Append(string group, string stream, IReadOnlyList<LogEvent> events)
    {
        lock (_lines)
        {
            _lines.AddRange(events.Select(e => e.Message));
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<LogGroupInfo>> DescribeGroupsAsync(string? prefix, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<LogStreamInfo>?> DescribeStreamsAsync(string group, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<LogEvent>?> ReadStreamAsync(string group, string stream, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteGroupAsync(string group, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> CreateGroupAsync(string group, CancellationToken cancellationToken) => throw new NotSupportedException();
}
