using System.Text.Json;

namespace LambdaCluster.Grains.EventSources;

/// <summary>
/// A function's partial batch response, <c>{"batchItemFailures":[{"itemIdentifier":"..."}]}</c>, by Lambda's rules: an
/// empty or null response or list means every item succeeded; an item without a known, non-empty identifier, or a
/// response that is not such an object, means the whole batch failed (null).
/// </summary>
public static class BatchItemFailures
{
    public static HashSet<string>? Parse(byte[] response, IReadOnlySet<string> batchIds)
    {
        try
        {
            using var json = JsonDocument.Parse(response);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return root.ValueKind == JsonValueKind.String && root.GetString() == "" ? [] : null;
            }

            if (!root.TryGetProperty("batchItemFailures", out var failures))
            {
                return root.EnumerateObject().Any() ? null : []; // {} succeeded; another key is a malformed report
            }

            if (failures.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (failures.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var failed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in failures.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("itemIdentifier", out var id)
                    || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } identifier || !batchIds.Contains(identifier))
                {
                    return null;
                }

                failed.Add(identifier);
            }

            return failed;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
