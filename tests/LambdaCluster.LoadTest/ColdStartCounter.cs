using System.Globalization;

namespace LambdaCluster.LoadTest;

/// <summary>Cold starts of one function, summed over the given nodes' Prometheus endpoints (lambda_cold_starts_total).</summary>
public sealed class ColdStartCounter(HttpClient http, IReadOnlyList<Uri> nodes, string function)
{
    public async Task<long> ReadAsync()
    {
        long total = 0;
        foreach (var node in nodes)
        {
            try
            {
                var text = await http.GetStringAsync(new Uri(node, "/metrics"));
                var series = $"lambda_cold_starts_total{{otel_scope_name=\"LambdaCluster\",function_name=\"{function}\"}} ";
                foreach (var line in text.Split('\n'))
                {
                    if (line.StartsWith(series, StringComparison.Ordinal))
                    {
                        total += (long)double.Parse(line[series.Length..].Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (HttpRequestException)
            {
                // A node without metrics (or gone) counts nothing.
            }
        }

        return total;
    }
}
