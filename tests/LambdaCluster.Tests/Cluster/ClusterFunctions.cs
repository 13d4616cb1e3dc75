using System.IO.Compression;
using System.Text;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Code;

namespace LambdaCluster.Tests.Cluster;

/// <summary>Creates functions straight through the grains, with their package stored in the cluster's Redis.</summary>
public static class ClusterFunctions
{
    /// <summary>Echoes the event with how the environment was initialised; sleeps <c>event.sleep</c> seconds first.</summary>
    public const string SleepyEcho = """
        import os, time
        def handler(event, context):
            time.sleep(event.get("sleep", 0))
            return {"event": event, "init": os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE"), "pid": os.getpid()}
        """;

    public static Task<IFunctionGrain> CreatePythonAsync(ClusterFixture fixture, string name, string code = SleepyEcho) =>
        CreateAsync(fixture, name, "python3.12", ("app.py", code));

    /// <summary>A Node.js function whose handler is <c>app.handler</c> in <c>app.mjs</c>.</summary>
    public static Task<IFunctionGrain> CreateNodeAsync(ClusterFixture fixture, string name, string code) =>
        CreateAsync(fixture, name, "nodejs22.x", ("app.mjs", code));

    private static async Task<IFunctionGrain> CreateAsync(ClusterFixture fixture, string name, string runtime, (string Name, string Content) file)
    {
        var zip = Zip(file);
        var hash = CodeHash.Of(zip);
        await fixture.CodeStore.PutAsync(hash.Hex, zip, CancellationToken.None);
        var grain = fixture.Client.GetGrain<IFunctionGrain>(name);
        await grain.CreateAsync(new FunctionDefinition
        {
            FunctionName = name,
            FunctionArn = FunctionArns.Function("us-east-1", "000000000000", name),
            Runtime = runtime,
            Role = "arn:aws:iam::000000000000:role/lambda-role",
            Handler = "app.handler",
            Timeout = 30,
            CodeSha256 = hash.Base64,
            CodeSha256Hex = hash.Hex,
            CodeSize = zip.Length,
            LastModified = DateTimeOffset.UtcNow,
            RevisionId = Guid.NewGuid().ToString(),
            ConfigRevision = Guid.NewGuid().ToString("N"),
            LogGroup = $"/aws/lambda/{name}",
            Region = "us-east-1",
        });
        return grain;
    }

    private static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = archive.CreateEntry(name);
                entry.ExternalAttributes = 0b110_100_100 << 16;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }
}
