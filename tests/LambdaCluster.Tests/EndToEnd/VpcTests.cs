using System.Net;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Private networking and shared file systems, through the aws CLI against a node with subnets and an access point
/// (<see cref="IntegrationNodeFixture"/>): a function in a VPC reaches a service on its subnet and nothing else; one outside it
/// cannot reach into the subnet; two functions share files through an access point, under its POSIX user, with
/// working locks; bad VpcConfig and FileSystemConfigs are refused as Lambda refuses them and change nothing.
/// </summary>
[Collection(IntegrationNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class VpcTests(IntegrationNodeFixture fixture)
{
    private const string NetworkProbe = """
        import os, socket

        def handler(event, context):
            results = {}
            for host, port in event["targets"]:
                try:
                    with socket.create_connection((host, port), timeout=0.5) as connection:
                        connection.settimeout(0.5)
                        try:
                            results[f"{host}:{port}"] = "ok:" + connection.recv(100).decode()
                        except socket.timeout:
                            results[f"{host}:{port}"] = "connected"
                except Exception as e:
                    results[f"{host}:{port}"] = "error:" + type(e).__name__
            runtime_api = os.environ["AWS_LAMBDA_RUNTIME_API"]
            host, own = runtime_api.rsplit(":", 1)
            for port in event.get("neighbours", []):
                if str(port) != own:  # another environment's Runtime API, at the same address
                    try:
                        socket.create_connection((host, port), timeout=0.5).close()
                        results["neighbour"] = "connected"
                    except Exception as e:
                        results["neighbour"] = "error:" + type(e).__name__
                    break
            return {"results": results, "runtimeApi": runtime_api}
        """;

    private const string SharedCounter = """
        import fcntl, os, time

        def handler(event, context):
            root = "/mnt/shared"
            open(root + "/arrived-" + context.function_name, "w").close()
            deadline = time.time() + 10
            while not all(os.path.exists(root + "/arrived-" + peer) for peer in event["peers"]) and time.time() < deadline:
                time.sleep(0.02)  # both calls contend for the lock at once: without it, both read 0
            with open(root + "/lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                path = root + "/counter"
                count = int(open(path).read()) if os.path.exists(path) else 0
                time.sleep(0.5)  # a lost update shows unless the lock is held across environments
                with open(path, "w") as f:
                    f.write(str(count + 1))
                with open(root + "/log", "a") as f:
                    f.write(context.function_name + " " + context.log_stream_name + "\n")
                fcntl.flock(lock, fcntl.LOCK_UN)
            status = os.stat(path)
            return {"uid": os.getuid(), "gid": os.getgid(), "owner": [status.st_uid, status.st_gid], "line": context.function_name + " " + context.log_stream_name}
        """;

    [Fact]
    public async Task VpcFunction_ReachesItsSubnetOnly()
    {
        var apiPort = new Uri(fixture.Node.Endpoint).Port;
        var package = Tools.Zip(fixture.WorkDirectory, ("index.py", NetworkProbe));
        var created = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "create-function", "--function-name", "vpc-fn", "--runtime", "python3.12",
            "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{package}", "--timeout", "15",
            "--vpc-config", $"SubnetIds={IntegrationNodeFixture.SubnetA},SecurityGroupIds={IntegrationNodeFixture.SecurityGroup}"));
        Assert.Equal("Pending", created.GetProperty("State").GetString());
        var vpc = created.GetProperty("VpcConfig");
        Assert.Equal("vpc-e2e", vpc.GetProperty("VpcId").GetString());
        Assert.Equal([IntegrationNodeFixture.SubnetA], vpc.GetProperty("SubnetIds").EnumerateArray().Select(e => e.GetString()));
        await Tools.AwsOkAsync(fixture.Node, "lambda", "wait", "function-active-v2", "--function-name", "vpc-fn");

        // On its subnet: the services of its VPC answer (the other subnet through the node, as a VPC's local route); the
        // other VPC's does not (its group allows it; the network does not), nor another service of the node at its subnet address,
        // another environment's Runtime API, or the node's loopback (the function's own there).
        var probe = await InvokeAsync("vpc-fn", Probe(NeighbourPorts("10.213.1.1"), (IntegrationNodeFixture.ServiceA, IntegrationNodeFixture.ServicePort),
            (IntegrationNodeFixture.ServiceB, IntegrationNodeFixture.ServicePort), (IntegrationNodeFixture.ServiceC, IntegrationNodeFixture.ServicePort),
            ("10.213.1.1", fixture.NodeWidePort), ("127.0.0.1", apiPort)));
        var results = probe.GetProperty("results");
        Assert.Equal("ok:db-a", results.GetProperty($"{IntegrationNodeFixture.ServiceA}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.Equal("ok:db-b", results.GetProperty($"{IntegrationNodeFixture.ServiceB}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.StartsWith("error:", results.GetProperty($"{IntegrationNodeFixture.ServiceC}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.StartsWith("error:", results.GetProperty($"10.213.1.1:{fixture.NodeWidePort}").GetString());
        Assert.StartsWith("error:", results.GetProperty($"127.0.0.1:{apiPort}").GetString());
        Assert.StartsWith("error:", results.GetProperty("neighbour").GetString());
        Assert.StartsWith("10.213.1.1:", probe.GetProperty("runtimeApi").GetString());

        // Moved to the other subnet of its VPC: its Runtime API is there now; the other VPC is still out of reach.
        await Tools.AwsOkAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "vpc-fn",
            "--vpc-config", $"SubnetIds={IntegrationNodeFixture.SubnetB},SecurityGroupIds={IntegrationNodeFixture.SecurityGroup}");
        await Tools.AwsOkAsync(fixture.Node, "lambda", "wait", "function-updated-v2", "--function-name", "vpc-fn");
        probe = await InvokeAsync("vpc-fn", Probe([], (IntegrationNodeFixture.ServiceB, IntegrationNodeFixture.ServicePort), (IntegrationNodeFixture.ServiceC, IntegrationNodeFixture.ServicePort)));
        Assert.StartsWith("10.213.2.1:", probe.GetProperty("runtimeApi").GetString());
        Assert.Equal("ok:db-b", probe.GetProperty("results").GetProperty($"{IntegrationNodeFixture.ServiceB}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.StartsWith("error:", probe.GetProperty("results").GetProperty($"{IntegrationNodeFixture.ServiceC}:{IntegrationNodeFixture.ServicePort}").GetString());

        // Out of the VPC (empty lists, returned as such): the function runs in the node's network and cannot reach into the subnets.
        var detached = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "vpc-fn",
            "--vpc-config", "SubnetIds=[],SecurityGroupIds=[]"));
        Assert.Equal(0, detached.GetProperty("VpcConfig").GetProperty("SubnetIds").GetArrayLength());
        Assert.Equal("", detached.GetProperty("VpcConfig").GetProperty("VpcId").GetString());
        await Tools.AwsOkAsync(fixture.Node, "lambda", "wait", "function-updated-v2", "--function-name", "vpc-fn");
        probe = await InvokeAsync("vpc-fn", Probe([], (IntegrationNodeFixture.ServiceA, IntegrationNodeFixture.ServicePort), (IntegrationNodeFixture.ServiceB, IntegrationNodeFixture.ServicePort)));
        Assert.StartsWith("127.0.0.1:", probe.GetProperty("runtimeApi").GetString());
        Assert.All(probe.GetProperty("results").EnumerateObject(), r => Assert.StartsWith("error:", r.Value.GetString()));

        // Refused, changing nothing: a subnet or group this cluster does not have, one list without the other, two VPCs, too many subnets.
        Assert.Contains("The subnet ID 'subnet-nowhere' does not exist", await RefusedAsync("SubnetIds=subnet-nowhere,SecurityGroupIds=sg-e2e"));
        Assert.Contains("The security group 'sg-nowhere' does not exist", await RefusedAsync($"SubnetIds={IntegrationNodeFixture.SubnetA},SecurityGroupIds=sg-nowhere"));
        Assert.Contains("SubnetIds and SecurityIds must coexist or be both empty list.", await RefusedAsync($"SubnetIds={IntegrationNodeFixture.SubnetA},SecurityGroupIds=[]"));
        Assert.Contains("must belong to one VPC", await RefusedAsync($"SubnetIds={IntegrationNodeFixture.SubnetA},SecurityGroupIds={IntegrationNodeFixture.OtherVpcSecurityGroup}"));
        var many = string.Join(',', Enumerable.Range(0, 17).Select(i => $"subnet-{i}"));
        Assert.Contains("Member must have length less than or equal to 16", await RefusedAsync($"SubnetIds={many},SecurityGroupIds=sg-e2e"));
        var unchanged = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "get-function-configuration", "--function-name", "vpc-fn"));
        Assert.Equal(0, unchanged.GetProperty("VpcConfig").GetProperty("SubnetIds").GetArrayLength());

        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-function", "--function-name", "vpc-fn");
    }

    [Fact]
    public async Task AccessPoint_IsSharedBetweenFunctions()
    {
        var package = Tools.Zip(fixture.WorkDirectory, ("index.py", SharedCounter));
        string[] Create(string name) => ["lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "index.handler",
            "--role", Functions.Role, "--zip-file", $"fileb://{package}", "--timeout", "15"];
        var fileSystem = $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/mnt/shared";
        var vpcConfig = $"SubnetIds={IntegrationNodeFixture.SubnetA},SecurityGroupIds={IntegrationNodeFixture.SecurityGroup}";

        // Lambda's rules first: a file system needs a VPC; the mount path and the ARN have their patterns.
        var withoutVpc = await Tools.AwsAsync(fixture.Node, [.. Create("efs-a"), "--file-system-configs", fileSystem]);
        Assert.Contains($"Function must be configured to execute in a VPC to reference access point {IntegrationNodeFixture.AccessPointArn}.", withoutVpc.Stderr);
        var badPath = await Tools.AwsAsync(fixture.Node, [.. Create("efs-a"), "--vpc-config", vpcConfig, "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/etc"]);
        Assert.Contains("ValidationException", badPath.Stderr);
        var escape = await Tools.AwsAsync(fixture.Node, [.. Create("efs-a"), "--vpc-config", vpcConfig, "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/mnt/.."]);
        Assert.Contains("InvalidParameterValueException", escape.Stderr);
        var unknown = await Tools.AwsAsync(fixture.Node, [.. Create("efs-a"), "--vpc-config", vpcConfig, "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn.Replace("0123", "9999", StringComparison.Ordinal)},LocalMountPath=/mnt/shared"]);
        Assert.Contains("does not exist", unknown.Stderr);
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(fixture.Node, "lambda", "get-function", "--function-name", "efs-a")).Stderr);

        // Two functions mount the access point; the second is on the other subnet.
        var created = Tools.Json(await Tools.AwsOkAsync(fixture.Node, [.. Create("efs-a"), "--vpc-config", vpcConfig, "--file-system-configs", fileSystem]));
        Assert.Equal("/mnt/shared", created.GetProperty("FileSystemConfigs")[0].GetProperty("LocalMountPath").GetString());
        await Tools.AwsOkAsync(fixture.Node, [.. Create("efs-b"), "--vpc-config", $"SubnetIds={IntegrationNodeFixture.SubnetB},SecurityGroupIds={IntegrationNodeFixture.SecurityGroup}",
            "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/mnt/shared"]);

        // Called at once, each in its own environment, each takes the lock, reads, waits and writes the counter.
        const string peers = """{"peers": ["efs-a", "efs-b"]}""";
        var calls = await Task.WhenAll(InvokeAsync("efs-a", peers), InvokeAsync("efs-b", peers));
        Assert.All(calls, call =>
        {
            Assert.Equal(1001, call.GetProperty("uid").GetInt32());
            Assert.Equal(1001, call.GetProperty("gid").GetInt32());
            Assert.Equal([1001, 1001], call.GetProperty("owner").EnumerateArray().Select(e => e.GetInt32()));
        });
        Assert.Equal("2", await File.ReadAllTextAsync(Path.Combine(fixture.AccessPointDirectory, "counter")));
        var lines = (await File.ReadAllLinesAsync(Path.Combine(fixture.AccessPointDirectory, "log"))).Order().ToList();
        Assert.Equal(calls.Select(c => c.GetProperty("line").GetString()).Order(), lines);
        Assert.StartsWith("efs-a ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("efs-b ", lines[1], StringComparison.Ordinal);
        var owners = await Tools.RunAsync("stat", ["-c", "%u:%g %a", fixture.AccessPointDirectory, Path.Combine(fixture.AccessPointDirectory, "counter")]);
        Assert.Equal(["1001:1001 750", "1001:1001 644"], owners.Stdout.Trim().Split('\n'));

        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-function", "--function-name", "efs-a");
        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-function", "--function-name", "efs-b");
    }

    private static string Probe(IReadOnlyList<int> neighbours, params (string Host, int Port)[] targets) =>
        JsonSerializer.Serialize(new { targets = targets.Select(t => new object[] { t.Host, t.Port }), neighbours });

    /// <summary>Up to three ports listening on <paramref name="address"/> (the node's Runtime API there), from /proc/net/tcp.</summary>
    private static List<int> NeighbourPorts(string address)
    {
        var hex = string.Concat(IPAddress.Parse(address).GetAddressBytes().Reverse().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        return [.. File.ReadLines("/proc/net/tcp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1].StartsWith(hex + ":", StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => Convert.ToInt32(f[1][(hex.Length + 1)..], 16)).Take(3)];
    }

    private async Task<JsonElement> InvokeAsync(string function, string payload)
    {
        var output = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.json");
        var result = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "invoke", "--function-name", function, "--payload", payload, output));
        var body = await File.ReadAllTextAsync(output);
        Assert.False(result.TryGetProperty("FunctionError", out _), body);
        return Tools.Json(body);
    }

    private async Task<string> RefusedAsync(string vpcConfig)
    {
        var result = await Tools.AwsAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "vpc-fn", "--vpc-config", vpcConfig);
        Assert.NotEqual(0, result.ExitCode);
        return result.Stderr;
    }
}
