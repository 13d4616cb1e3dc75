using System.Text;
using System.Text.Json;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Logs;

/// <summary>
/// Log groups as folders under <c>{DataDirectory}/logs</c>, one append-only file per stream with a JSON
/// line per event, appended in batches. Only the index (groups, streams and their summaries) is kept in memory; events
/// are read from their files when asked for.
/// </summary>
public sealed class FileLogStore : ILogStore
{
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly LogBatch _batch = new();

    public FileLogStore(IOptions<NodeOptions> options, TimeProvider time)
    {
        _time = time;
        _root = Directory.CreateDirectory(Path.Combine(options.Value.DataDirectory, "logs")).FullName;
        LoadIndex();
    }

    public void Append(string group, string stream, IReadOnlyList<LogEvent> events)
    {
        lock (_gate)
        {
            var streamState = GetOrCreate(group, stream);
            foreach (var e in events)
            {
                streamState.Add(e);
            }

            _batch.Add(group, stream, events);
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _batch.FlushAsync(async streams =>
    {
        foreach (var byStream in streams)
        {
            var path = StreamPath(byStream.Key.Group, byStream.Key.Stream);
            if (!Directory.Exists(Path.GetDirectoryName(path)))
            {
                continue; // the group was deleted after these events were queued
            }

            var text = new StringBuilder();
            foreach (var e in byStream)
            {
                text.Append(JsonSerializer.Serialize(new StoredLine(e.Timestamp, e.IngestionTime, e.Message), LogStoreJsonContext.Default.StoredLine)).Append('\n');
            }

            await File.AppendAllTextAsync(path, text.ToString(), cancellationToken);
        }
    }, cancellationToken);

    public Task<IReadOnlyList<LogGroupInfo>> DescribeGroupsAsync(string? prefix, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<LogGroupInfo> groups = _groups
                .Where(g => prefix is null || g.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new LogGroupInfo(g.Key, g.Value.CreationTime, g.Value.Streams.Values.Sum(s => s.StoredBytes)))
                .ToList();
            return Task.FromResult(groups);
        }
    }

    public Task<IReadOnlyList<LogStreamInfo>?> DescribeStreamsAsync(string group, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var state))
            {
                return Task.FromResult<IReadOnlyList<LogStreamInfo>?>(null);
            }

            IReadOnlyList<LogStreamInfo> streams = state.Streams
                .Select(s => s.Value.Describe(s.Key))
                .ToList();
            return Task.FromResult<IReadOnlyList<LogStreamInfo>?>(streams);
        }
    }

    public async Task<IReadOnlyList<LogEvent>?> ReadStreamAsync(string group, string stream, CancellationToken cancellationToken)
    {
        // Events live in their file, not in memory (a busy function's log would grow the node without bound): a read
        // is the file plus what is still queued for it, taken while no flush is moving events from one to the other.
        List<LogEvent>? events = null;
        await _batch.ExclusiveAsync(() =>
        {
            lock (_gate)
            {
                if (!_groups.TryGetValue(group, out var state) || !state.Streams.ContainsKey(stream))
                {
                    return Task.CompletedTask;
                }
            }

            events = ReadFile(StreamPath(group, stream));
            events.AddRange(_batch.Pending(group, stream));
            return Task.CompletedTask;
        }, cancellationToken);
        return events;
    }

    public async Task<bool> DeleteGroupAsync(string group, CancellationToken cancellationToken)
    {
        var deleted = false;
        await _batch.ExclusiveAsync(() =>
        {
            lock (_gate)
            {
                if (_groups.Remove(group))
                {
                    deleted = true;
                    var directory = GroupPath(group);
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                }
            }

            return Task.CompletedTask;
        }, cancellationToken, dropGroup: group);
        return deleted;
    }

    public Task<bool> CreateGroupAsync(string group, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_groups.ContainsKey(group))
            {
                return Task.FromResult(false);
            }

            CreateGroup(group);
            return Task.FromResult(true);
        }
    }

    private StreamState GetOrCreate(string group, string stream)
    {
        if (!_groups.TryGetValue(group, out var groupState))
        {
            groupState = CreateGroup(group);
        }

        if (!groupState.Streams.TryGetValue(stream, out var streamState))
        {
            streamState = new StreamState(_time.GetUtcNow().ToUnixTimeMilliseconds());
            groupState.Streams.Add(stream, streamState);
            File.WriteAllText(StreamPath(group, stream), string.Empty);
        }

        return streamState;
    }

    private GroupState CreateGroup(string group)
    {
        var created = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var directory = Directory.CreateDirectory(GroupPath(group)).FullName;
        File.WriteAllText(Path.Combine(directory, ".created"), created.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var state = new GroupState(created);
        _groups.Add(group, state);
        return state;
    }

    private void LoadIndex()
    {
        foreach (var directory in Directory.EnumerateDirectories(_root))
        {
            var group = Uri.UnescapeDataString(Path.GetFileName(directory));
            var createdFile = Path.Combine(directory, ".created");
            var created = File.Exists(createdFile) && long.TryParse(File.ReadAllText(createdFile), out var c) ? c : 0;
            var state = new GroupState(created);
            foreach (var file in Directory.EnumerateFiles(directory, "*.log"))
            {
                var stream = Uri.UnescapeDataString(Path.GetFileNameWithoutExtension(file));
                var events = ReadFile(file);
                var streamState = new StreamState(events.Count > 0 ? events[0].IngestionTime : created);
                foreach (var e in events)
                {
                    streamState.Add(e);
                }

                state.Streams.Add(stream, streamState);
            }

            _groups.Add(group, state);
        }
    }

    private static List<LogEvent> ReadFile(string path)
    {
        var events = new List<LogEvent>();
        if (!File.Exists(path))
        {
            return events;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                var stored = JsonSerializer.Deserialize(line, LogStoreJsonContext.Default.StoredLine);
                if (stored is not null)
                {
                    events.Add(new LogEvent(stored.T, stored.M, stored.I));
                }
            }
            catch (JsonException)
            {
                // A torn last line from a crash mid-write: everything before it is intact.
            }
        }

        return events;
    }

    private string GroupPath(string group) => Path.Combine(_root, FileName(group));

    /// <summary>
    /// A name as one file-name component: escaped (so '/' cannot leave the folder), and "." and ".." (which the
    /// model's name patterns allow) with their dots escaped too, or they would name this folder or its parent.
    /// </summary>
    private static string FileName(string name)
    {
        var escaped = Uri.EscapeDataString(name);
        return escaped is "." or ".." ? escaped.Replace(".", "%2E", StringComparison.Ordinal) : escaped;
    }

    private string StreamPath(string group, string stream) => Path.Combine(GroupPath(group), Uri.EscapeDataString(stream) + ".log");

    private sealed class GroupState(long creationTime)
    {
        public long CreationTime { get; } = creationTime;

        public Dictionary<string, StreamState> Streams { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>What DescribeLogStreams reports of a stream; its events stay in its file.</summary>
    private sealed class StreamState(long creationTime)
    {
        private long? _first;
        private long? _last;
        private long? _lastIngestion;

        public long StoredBytes { get; private set; }

        public void Add(LogEvent e)
        {
            _first = _first is null ? e.Timestamp : Math.Min(_first.Value, e.Timestamp);
            _last = _last is null ? e.Timestamp : Math.Max(_last.Value, e.Timestamp);
            _lastIngestion = e.IngestionTime;
            StoredBytes += Encoding.UTF8.GetByteCount(e.Message);
        }

        public LogStreamInfo Describe(string name) => new(name, creationTime, _first, _last, _lastIngestion, StoredBytes);
    }
}
