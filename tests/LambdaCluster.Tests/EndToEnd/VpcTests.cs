using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Private networking and shared file systems, through the aws CLI against a node with subnets and an access point
/// (<see cref="IntegrationNodeFixture"/>): a function in a VPC reaches a service on its subnet and nothing else; one outside it
/// cannot reach into the subnet; two environments share files through an access point, under its POSIX user, with
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
            return {"results": results, "runtimeApi": os.environ["AWS_LAMBDA_RUNTIME_API"]}
        """;

    private const string SharedCounter = """
        import fcntl, os, time

        def handler(event, context):
            root = "/mnt/shared"
            with open(root + "/lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                path = root + "/counter"
                count = int(open(path).read()) if os.path.exists(path) else 0
                time.sleep(0.5)  # a lost update shows unless the lock is held across environments
                with open(path, "w") as f:
                    f.write(str(count + 1))
                with open(root + "/log", "a") as f:
                    f.write(context.log_stream_name + "\n")
                fcntl.flock(lock, fcntl.LOCK_UN)
            status = os.stat(path)
            return {"uid": os.getuid(), "gid": os.getgid(), "owner": [status.st_uid, status.st_gid], "stream": context.log_stream_name}
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

        // On its subnet: the service there answers; the other subnet, the node's own API port on its address on the
        // subnet, and the node's loopback (the function's own here) do not.
        var probe = await InvokeAsync("vpc-fn", Targets((IntegrationNodeFixture.ServiceA, IntegrationNodeFixture.ServicePort), (IntegrationNodeFixture.ServiceB, IntegrationNodeFixture.ServicePort),
            ("10.213.1.1", apiPort), ("127.0.0.1", apiPort)));
        var results = probe.GetProperty("results");
        Assert.Equal("ok:db-a", results.GetProperty($"{IntegrationNodeFixture.ServiceA}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.StartsWith("error:", results.GetProperty($"{IntegrationNodeFixture.ServiceB}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.StartsWith("error:", results.GetProperty($"10.213.1.1:{apiPort}").GetString());
        Assert.StartsWith("error:", results.GetProperty($"127.0.0.1:{apiPort}").GetString());
        Assert.StartsWith("10.213.1.1:", probe.GetProperty("runtimeApi").GetString());

        // Moved to the other subnet: the other service, and not the first.
        await Tools.AwsOkAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "vpc-fn",
            "--vpc-config", $"SubnetIds={IntegrationNodeFixture.SubnetB},SecurityGroupIds={IntegrationNodeFixture.SecurityGroup}");
        await Tools.AwsOkAsync(fixture.Node, "lambda", "wait", "function-updated-v2", "--function-name", "vpc-fn");
        results = (await InvokeAsync("vpc-fn", Targets((IntegrationNodeFixture.ServiceA, IntegrationNodeFixture.ServicePort), (IntegrationNodeFixture.ServiceB, IntegrationNodeFixture.ServicePort)))).GetProperty("results");
        Assert.StartsWith("error:", results.GetProperty($"{IntegrationNodeFixture.ServiceA}:{IntegrationNodeFixture.ServicePort}").GetString());
        Assert.Equal("ok:db-b", results.GetProperty($"{IntegrationNodeFixture.ServiceB}:{IntegrationNodeFixture.ServicePort}").GetString());

        // Out of the VPC (empty lists, returned as such): the function runs in the node's network and cannot reach into the subnets.
        var detached = Tools.Json(await Tools.AwsOkAsync(fixture.Node, "lambda", "update-function-configuration", "--function-name", "vpc-fn",
            "--vpc-config", "SubnetIds=[],SecurityGroupIds=[]"));
        Assert.Equal(0, detached.GetProperty("VpcConfig").GetProperty("SubnetIds").GetArrayLength());
        Assert.Equal("", detached.GetProperty("VpcConfig").GetProperty("VpcId").GetString());
        await Tools.AwsOkAsync(fixture.Node, "lambda", "wait", "function-updated-v2", "--function-name", "vpc-fn");
        probe = await InvokeAsync("vpc-fn", Targets((IntegrationNodeFixture.ServiceA, IntegrationNodeFixture.ServicePort), (IntegrationNodeFixture.ServiceB, IntegrationNodeFixture.ServicePort)));
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
    public async Task AccessPoint_IsSharedBetweenEnvironments()
    {
        var package = Tools.Zip(fixture.WorkDirectory, ("index.py", SharedCounter));
        string[] create = ["lambda", "create-function", "--function-name", "efs-fn", "--runtime", "python3.12", "--handler", "index.handler",
            "--role", Functions.Role, "--zip-file", $"fileb://{package}", "--timeout", "15"];
        var fileSystem = $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/mnt/shared";
        var vpcConfig = $"SubnetIds={IntegrationNodeFixture.SubnetA},SecurityGroupIds={IntegrationNodeFixture.SecurityGroup}";

        // Lambda's rules first: a file system needs a VPC; the mount path and the ARN have their patterns.
        var withoutVpc = await Tools.AwsAsync(fixture.Node, [.. create, "--file-system-configs", fileSystem]);
        Assert.Contains($"Function must be configured to execute in a VPC to reference access point {IntegrationNodeFixture.AccessPointArn}.", withoutVpc.Stderr);
        var badPath = await Tools.AwsAsync(fixture.Node, [.. create, "--vpc-config", vpcConfig, "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/etc"]);
        Assert.Contains("ValidationException", badPath.Stderr);
        var escape = await Tools.AwsAsync(fixture.Node, [.. create, "--vpc-config", vpcConfig, "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn},LocalMountPath=/mnt/.."]);
        Assert.Contains("InvalidParameterValueException", escape.Stderr);
        var unknown = await Tools.AwsAsync(fixture.Node, [.. create, "--vpc-config", vpcConfig, "--file-system-configs", $"Arn={IntegrationNodeFixture.AccessPointArn.Replace("0123", "9999", StringComparison.Ordinal)},LocalMountPath=/mnt/shared"]);
        Assert.Contains("does not exist", unknown.Stderr);
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(fixture.Node, "lambda", "get-function", "--function-name", "efs-fn")).Stderr);

        var created = Tools.Json(await Tools.AwsOkAsync(fixture.Node, [.. create, "--vpc-config", vpcConfig, "--file-system-configs", fileSystem]));
        Assert.Equal("/mnt/shared", created.GetProperty("FileSystemConfigs")[0].GetProperty("LocalMountPath").GetString());

        // Two calls at once run in two environments; each takes the lock, reads, waits and writes the counter.
        var calls = await Task.WhenAll(InvokeAsync("efs-fn", "{}"), InvokeAsync("efs-fn", "{}"));
        Assert.NotEqual(calls[0].GetProperty("stream").GetString(), calls[1].GetProperty("stream").GetString());
        Assert.All(calls, call =>
        {
            Assert.Equal(1001, call.GetProperty("uid").GetInt32());
            Assert.Equal(1001, call.GetProperty("gid").GetInt32());
            Assert.Equal([1001, 1001], call.GetProperty("owner").EnumerateArray().Select(e => e.GetInt32()));
        });
        Assert.Equal("2", await File.ReadAllTextAsync(Path.Combine(fixture.AccessPointDirectory, "counter")));
        Assert.Equal(calls.Select(c => c.GetProperty("stream").GetString()).Order(), (await File.ReadAllLinesAsync(Path.Combine(fixture.AccessPointDirectory, "log"))).Order());
        var owners = await Tools.RunAsync("stat", ["-c", "%u:%g %a", fixture.AccessPointDirectory, Path.Combine(fixture.AccessPointDirectory, "counter")]);
        Assert.Equal(["1001:1001 750", "1001:1001 644"], owners.Stdout.Trim().Split('\n'));

        await Tools.AwsOkAsync(fixture.Node, "lambda", "delete-function", "--function-name", "efs-fn");
    }

    private static string Targets(params (string Host, int Port)[] targets) =>
        JsonSerializer.Serialize(new { targets = targets.Select(t => new object[] { t.Host, t.Port }) });

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
