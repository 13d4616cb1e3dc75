using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Logs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Logs;

/// <summary>
/// The CloudWatch Logs subset clients use to read function logs (JSON 1.1, <c>X-Amz-Target: Logs_20140328.*</c>):
/// DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents, CreateLogGroup, DeleteLogGroup.
/// </summary>
public sealed class LogsApi(ILogStore store, IOptions<NodeOptions> node)
{
    private const string TargetPrefix = "Logs_20140328.";

    public async Task HandleAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        if (JsonProtocolBody.Read(http) is not { } input)
        {
            await ErrorAsync(http, "SerializationException", "The request body is not a valid JSON object.");
            return;
        }

        try
        {
            var output = target[TargetPrefix.Length..] switch
            {
                "DescribeLogGroups" => await DescribeLogGroupsAsync(input, http.RequestAborted),
                "DescribeLogStreams" => await DescribeLogStreamsAsync(input, http.RequestAborted),
                "GetLogEvents" => await GetLogEventsAsync(input, http.RequestAborted),
                "FilterLogEvents" => await FilterLogEventsAsync(input, http.RequestAborted),
                "CreateLogGroup" => await CreateLogGroupAsync(input, http.RequestAborted),
                "DeleteLogGroup" => await DeleteLogGroupAsync(input, http.RequestAborted),
                var other => throw new LogsException("UnknownOperationException", $"Operation {other} is not supported by this endpoint."),
            };
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/x-amz-json-1.1";
            await http.Response.WriteAsync(output.ToJsonString());
        }
        catch (LogsException e)
        {
            await ErrorAsync(http, e.Code, e.Message);
        }
    }

    private async Task<JsonObject> DescribeLogGroupsAsync(JsonObject input, CancellationToken cancellationToken)
    {
        await store.FlushAsync(cancellationToken);
        var groups = await store.DescribeGroupsAsync(OptionalString(input, "logGroupNamePrefix"), cancellationToken);
        var (page, next) = Page(groups, input, 50);
        return new JsonObject
        {
            ["logGroups"] = new JsonArray(page.Select(g => (JsonNode)new JsonObject
            {
                ["logGroupName"] = g.Name,
                ["creationTime"] = g.CreationTime,
                ["metricFilterCount"] = 0,
                ["arn"] = $"{GroupArn(g.Name)}:*",
                ["storedBytes"] = g.StoredBytes,
                ["logGroupClass"] = "STANDARD",
                ["logGroupArn"] = GroupArn(g.Name),
            }).ToArray()),
            ["nextToken"] = next,
        };
    }

    private async Task<JsonObject> DescribeLogStreamsAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var group = GroupName(input);
        var streams = await store.DescribeStreamsAsync(group, cancellationToken) ?? throw GroupNotFound();
        var prefix = OptionalString(input, "logStreamNamePrefix");
        var byLastEvent = OptionalString(input, "orderBy") == "LastEventTime";
        IEnumerable<LogStreamInfo> ordered = streams.Where(s => prefix is null || s.Name.StartsWith(prefix, StringComparison.Ordinal));
        ordered = byLastEvent ? ordered.OrderBy(s => s.LastEventTimestamp ?? 0) : ordered.OrderBy(s => s.Name, StringComparer.Ordinal);
        if (input["descending"]?.GetValue<bool>() == true)
        {
            ordered = ordered.Reverse();
        }

        var (page, next) = Page(ordered.ToList(), input, 50);
        return new JsonObject
        {
            ["logStreams"] = new JsonArray(page.Select(s => (JsonNode)new JsonObject
            {
                ["logStreamName"] = s.Name,
                ["creationTime"] = s.CreationTime,
                ["firstEventTimestamp"] = s.FirstEventTimestamp,
                ["lastEventTimestamp"] = s.LastEventTimestamp,
                ["lastIngestionTime"] = s.LastIngestionTime,
                ["arn"] = $"{GroupArn(group)}:log-stream:{s.Name}",
                ["storedBytes"] = s.StoredBytes,
            }).ToArray()),
            ["nextToken"] = next,
        };
    }

    private async Task<JsonObject> GetLogEventsAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var group = GroupName(input);
        var streamName = OptionalString(input, "logStreamName") ?? throw new LogsException("InvalidParameterException", "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
        var all = await store.ReadStreamAsync(group, streamName, cancellationToken);
        if (all is null)
        {
            throw await store.DescribeStreamsAsync(group, cancellationToken) is null ? GroupNotFound() : new LogsException("ResourceNotFoundException", "The specified log stream does not exist.");
        }

        var start = OptionalLong(input, "startTime");
        var end = OptionalLong(input, "endTime");
        var events = all.Where(e => (start is null || e.Timestamp >= start) && (end is null || e.Timestamp < end)).ToList();
        var limit = (int)Math.Clamp(OptionalLong(input, "limit") ?? 10000, 1, 10000);
        var token = OptionalString(input, "nextToken");
        var fromHead = input["startFromHead"]?.GetValue<bool>() ?? false;
        int from, to;
        if (token is not null && TryParseToken(token, out var forward, out var position))
        {
            (from, to) = forward ? (position, Math.Min(events.Count, position + limit)) : (Math.Max(0, position - limit), position);
        }
        else if (fromHead)
        {
            (from, to) = (0, Math.Min(events.Count, limit));
        }
        else
        {
            (from, to) = (Math.Max(0, events.Count - limit), events.Count);
        }

        return new JsonObject
        {
            ["events"] = new JsonArray(events.Skip(from).Take(to - from).Select(e => (JsonNode)new JsonObject
            {
                ["timestamp"] = e.Timestamp,
                ["message"] = e.Message,
                ["ingestionTime"] = e.IngestionTime,
            }).ToArray()),
            ["nextForwardToken"] = $"f/{to:D56}",
            ["nextBackwardToken"] = $"b/{from:D56}",
        };
    }

    private async Task<JsonObject> FilterLogEventsAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var group = GroupName(input);
        var streams = await store.DescribeStreamsAsync(group, cancellationToken) ?? throw GroupNotFound();
        var names = input["logStreamNames"] is JsonArray list ? list.Select(n => n?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal) : null;
        var prefix = OptionalString(input, "logStreamNamePrefix");
        var pattern = FilterPattern.Parse(OptionalString(input, "filterPattern"));
        var start = OptionalLong(input, "startTime");
        var end = OptionalLong(input, "endTime");
        var searched = streams.Where(s => (names is null || names.Contains(s.Name)) && (prefix is null || s.Name.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        var matches = new List<(string Stream, int Index, LogEvent Event)>();
        foreach (var stream in searched)
        {
            var events = await store.ReadStreamAsync(group, stream.Name, cancellationToken) ?? [];
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if ((start is null || e.Timestamp >= start) && (end is null || e.Timestamp <= end) && pattern.Matches(e.Message))
                {
                    matches.Add((stream.Name, i, e));
                }
            }
        }

        var ordered = matches.OrderBy(m => m.Event.Timestamp).ThenBy(m => m.Stream, StringComparer.Ordinal).ThenBy(m => m.Index).ToList();
        var offset = int.TryParse(OptionalString(input, "nextToken"), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var limit = (int)Math.Clamp(OptionalLong(input, "limit") ?? 10000, 1, 10000);
        var page = ordered.Skip(offset).Take(limit).ToList();
        var result = new JsonObject
        {
            ["events"] = new JsonArray(page.Select(m => (JsonNode)new JsonObject
            {
                ["logStreamName"] = m.Stream,
                ["timestamp"] = m.Event.Timestamp,
                ["message"] = m.Event.Message,
                ["ingestionTime"] = m.Event.IngestionTime,
                ["eventId"] = EventId(m.Stream, m.Index, m.Event.Timestamp),
            }).ToArray()),
            ["searchedLogStreams"] = new JsonArray(searched.Select(s => (JsonNode)new JsonObject { ["logStreamName"] = s.Name, ["searchedCompletely"] = true }).ToArray()),
        };
        if (offset + page.Count < ordered.Count)
        {
            result["nextToken"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }

    private async Task<JsonObject> CreateLogGroupAsync(JsonObject input, CancellationToken cancellationToken)
    {
        if (!await store.CreateGroupAsync(GroupName(input), cancellationToken))
        {
            throw new LogsException("ResourceAlreadyExistsException", "The specified log group already exists");
        }

        return [];
    }

    private async Task<JsonObject> DeleteLogGroupAsync(JsonObject input, CancellationToken cancellationToken)
    {
        if (!await store.DeleteGroupAsync(GroupName(input), cancellationToken))
        {
            throw GroupNotFound();
        }

        return [];
    }

    private string GroupArn(string group) => $"arn:aws:logs:{node.Value.Region}:{node.Value.AccountId}:log-group:{group}";

    private static string GroupName(JsonObject input)
    {
        var name = OptionalString(input, "logGroupName") ?? OptionalString(input, "logGroupIdentifier");
        if (name is null)
        {
            throw new LogsException("InvalidParameterException", "Either logGroupName or logGroupIdentifier must be specified.");
        }

        // An identifier may be the group's ARN.
        var marker = ":log-group:";
        var at = name.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? name : name[(at + marker.Length)..].TrimEnd('*').TrimEnd(':');
    }

    private static (List<T> Page, string? Next) Page<T>(IReadOnlyList<T> items, JsonObject input, int maxLimit)
    {
        var offset = int.TryParse(OptionalString(input, "nextToken"), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var limit = (int)Math.Clamp(OptionalLong(input, "limit") ?? maxLimit, 1, maxLimit);
        var page = items.Skip(offset).Take(limit).ToList();
        return (page, offset + page.Count < items.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static bool TryParseToken(string token, out bool forward, out int position)
    {
        forward = token.StartsWith("f/", StringComparison.Ordinal);
        position = 0;
        return (forward || token.StartsWith("b/", StringComparison.Ordinal))
            && int.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }

    private static string EventId(string stream, int index, long timestamp) =>
        string.Create(CultureInfo.InvariantCulture, $"{timestamp:D20}{(uint)stream.GetHashCode(StringComparison.Ordinal):D10}{index:D26}");

    private static string? OptionalString(JsonObject input, string name) =>
        input[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? OptionalLong(JsonObject input, string name) =>
        input[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    private static LogsException GroupNotFound() => new("ResourceNotFoundException", "The specified log group does not exist.");

    private static async Task ErrorAsync(HttpContext http, string code, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "application/x-amz-json-1.1";
        http.Response.Headers["x-amzn-ErrorType"] = code;
        await http.Response.WriteAsync(new JsonObject { ["__type"] = code, ["message"] = message }.ToJsonString());
    }
}
