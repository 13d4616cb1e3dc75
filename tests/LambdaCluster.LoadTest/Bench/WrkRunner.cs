using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LambdaCluster.LoadTest.Bench;

/// <summary>
/// Runs wrk (a C load generator: it costs the shared cores far less than a .NET client) with a generated Lua script
/// that sends one fixed request, counts answers that are not a 200 without X-Amz-Function-Error, and prints one summary line.
/// </summary>
public static class WrkRunner
{
    public static bool Available => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "wrk")));

    /// <summary>
    /// With several <paramref name="targets"/>, each wrk thread connects to one of them in turn (the same signed request,
    /// Host header included, goes to every node), with an equal share of the connections.
    /// </summary>
    public static async Task<(long Requests, double Seconds, double P50Ms, double P99Ms, long Failed, int Connections)> RunAsync(HttpRequestMessage request, byte[] body, int concurrency, TimeSpan duration, IReadOnlyList<Uri> targets)
    {
        var script = Path.Combine(Path.GetTempPath(), $"lambda-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, Script(request, body, targets));
        var threads = targets.Count > 1 ? Math.Min(targets.Count, concurrency) : Math.Min(2, concurrency);
        try
        {
            var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", concurrency.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "30s", "-s", script, request.RequestUri!.ToString() })
            {
                start.ArgumentList.Add(argument);
            }

            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no summary: {output} {await wrk.StandardError.ReadToEndAsync()}");
            var f = line.Split(' ');
            double Number(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            // wrk gives each thread connections / threads connections.
            return ((long)Number(1), Number(2) / 1e6, Number(3) / 1000, Number(4) / 1000, (long)Number(5) + (long)Number(6), concurrency / threads * threads);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Script(HttpRequestMessage request, byte[] body, IReadOnlyList<Uri> targets)
    {
        var lua = new StringBuilder();
        lua.Append("wrk.method = \"").Append(request.Method.Method).Append("\"\n");
        lua.Append("wrk.body = ").Append(Quote(Encoding.UTF8.GetString(body))).Append('\n');
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                lua.Append("wrk.headers[ ").Append(Quote(name)).Append(" ] = ").Append(Quote(string.Join(",", values))).Append('\n');
            }
        }

        lua.Append("local targets = {");
        foreach (var target in targets)
        {
            lua.Append("{ ").Append(Quote(target.Host)).Append(", ").Append(Quote(target.Port.ToString(CultureInfo.InvariantCulture))).Append(" },");
        }

        lua.Append("}\n");
        lua.Append("""
            local threads = {}
            function setup(thread)
              table.insert(threads, thread)
              if #targets > 1 then
                local t = targets[(#threads - 1) % #targets + 1]
                thread.addr = wrk.lookup(t[1], t[2])[1]
              end
            end
            function init(args) failed = 0 end
            function response(status, headers, body)
              if status ~= 200 or headers["X-Amz-Function-Error"] ~= nil then failed = failed + 1 end
            end
            function done(summary, latency, requests)
              local f = 0
              for _, t in ipairs(threads) do f = f + t:get("failed") end
              local e = summary.errors
              io.write(string.format("WRK %d %d %.1f %.1f %d %d\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), f, e.connect + e.read + e.write + e.timeout))
            end

            """);
        return lua.ToString();
    }

    /// <summary>A Lua long string that no text can end early.</summary>
    private static string Quote(string text)
    {
        var level = new string('=', 1);
        while (text.Contains($"]{level}]", StringComparison.Ordinal))
        {
            level += "=";
        }

        return $"[{level}[{text}]{level}]";
    }
}
