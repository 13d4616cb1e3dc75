using System.Diagnostics;
using System.Globalization;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// A node with two subnets of one VPC (10.213.1.0/24 and 10.213.2.0/24) and one of another (10.214.1.0/24), on bridges the
/// node makes, a security group allowing TCP egress to all three, a group of the other VPC, and an EFS-style access point
/// on a folder of the work directory (POSIX user 1001:1001, root directory /lambda made 750). Once the node runs, a TCP
/// service answers on each subnet from a network namespace of the fixture's own (10.213.1.250:5432 says "db-a",
/// 10.213.2.250 "db-b", 10.214.1.250 "db-c"), as a database on a private network would, and the test process listens on
/// the node's address on subnet A at <see cref="NodeWidePort"/>, as a node's own service bound to every address would. Everything the fixture makes is named after its process and removed when it stops (and
/// what a killed run left is removed when the next starts). S3 notifications from another object store reach
/// <c>/s3-events/minio</c> with <see cref="WebhookToken"/>, for function <see cref="WebhookFunction"/>.
/// </summary>
public sealed class IntegrationNodeFixture : NodeFixture
{
    public const string SubnetA = "subnet-e2ea";
    public const string SubnetB = "subnet-e2eb";
    public const string OtherVpcSubnet = "subnet-e2ec";
    public const string SecurityGroup = "sg-e2e";
    public const string OtherVpcSecurityGroup = "sg-other";
    public const string AccessPointArn = "arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-0123456789abcdef0";
    public const string ServiceA = "10.213.1.250";
    public const string ServiceB = "10.213.2.250";
    public const string ServiceC = "10.214.1.250";
    public const int ServicePort = 5432;
    public const string WebhookToken = "minio-webhook-token-0123456789";
    public const string WebhookFunction = "s3-processor";
    private const string Ip = "/usr/sbin/ip";
    private static readonly string Tag = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    private readonly List<Process> _services = [];
    private readonly System.Net.Sockets.TcpListener _nodeWide = new(System.Net.IPAddress.Parse("10.213.1.1"), 0);

    /// <summary>
    /// A port the test process listens on at the node's address on subnet A (as a node service bound to every address
    /// would be there), not a Runtime API port: only those may be reached from the subnet.
    /// </summary>
    public int NodeWidePort => ((System.Net.IPEndPoint)_nodeWide.LocalEndpoint).Port;

    /// <summary>The access point's root directory on the host.</summary>
    public string AccessPointDirectory => Path.Combine(WorkDirectory, "efs", "lambda");

    protected override IReadOnlyDictionary<string, string> MoreSettings()
    {
        RemoveLeftovers();
        Directory.CreateDirectory(Path.Combine(WorkDirectory, "efs"));
        return new Dictionary<string, string>
        {
            ["Vpc:Subnets:0:Id"] = SubnetA,
            ["Vpc:Subnets:0:VpcId"] = "vpc-e2e",
            ["Vpc:Subnets:0:Cidr"] = "10.213.1.0/24",
            ["Vpc:Subnets:0:Bridge"] = Bridge('a'),
            ["Vpc:Subnets:0:EnvironmentAddresses"] = "10.213.1.0/25",
            ["Vpc:Subnets:1:Id"] = SubnetB,
            ["Vpc:Subnets:1:VpcId"] = "vpc-e2e",
            ["Vpc:Subnets:1:Cidr"] = "10.213.2.0/24",
            ["Vpc:Subnets:1:Bridge"] = Bridge('b'),
            ["Vpc:Subnets:2:Id"] = OtherVpcSubnet,
            ["Vpc:Subnets:2:VpcId"] = "vpc-other",
            ["Vpc:Subnets:2:Cidr"] = "10.214.1.0/24",
            ["Vpc:Subnets:2:Bridge"] = Bridge('c'),
            ["Vpc:SecurityGroups:0:Id"] = SecurityGroup,
            ["Vpc:SecurityGroups:0:VpcId"] = "vpc-e2e",
            ["Vpc:SecurityGroups:0:Egress:0:IpProtocol"] = "tcp",
            ["Vpc:SecurityGroups:0:Egress:0:FromPort"] = "0",
            ["Vpc:SecurityGroups:0:Egress:0:ToPort"] = "65535",
            ["Vpc:SecurityGroups:0:Egress:0:CidrIp"] = "10.213.0.0/16",
            ["Vpc:SecurityGroups:0:Egress:1:IpProtocol"] = "-1",
            ["Vpc:SecurityGroups:0:Egress:1:CidrIp"] = "10.214.0.0/16", // the group allows it: only the network stands in the way
            ["Vpc:SecurityGroups:1:Id"] = OtherVpcSecurityGroup,
            ["Vpc:SecurityGroups:1:VpcId"] = "vpc-other",
            ["FileSystems:AccessPoints:0:Arn"] = AccessPointArn,
            ["FileSystems:AccessPoints:0:Path"] = Path.Combine(WorkDirectory, "efs"),
            ["FileSystems:AccessPoints:0:PosixUser:Uid"] = "1001",
            ["FileSystems:AccessPoints:0:PosixUser:Gid"] = "1001",
            ["FileSystems:AccessPoints:0:RootDirectory:Path"] = "/lambda",
            ["FileSystems:AccessPoints:0:RootDirectory:CreationInfo:OwnerUid"] = "1001",
            ["FileSystems:AccessPoints:0:RootDirectory:CreationInfo:OwnerGid"] = "1001",
            ["FileSystems:AccessPoints:0:RootDirectory:CreationInfo:Permissions"] = "750",
            ["S3:Webhooks:0:Id"] = "minio",
            ["S3:Webhooks:0:FunctionName"] = WebhookFunction,
            ["S3:Webhooks:0:Token"] = WebhookToken,
        };
    }

    protected override Task StartedAsync()
    {
        StartService('a', ServiceA, "10.213.1.1", "db-a");
        StartService('b', ServiceB, "10.213.2.1", "db-b");
        StartService('c', ServiceC, "10.214.1.1", "db-c");
        _nodeWide.Start();
        return Task.CompletedTask;
    }

    protected override Task StoppedAsync()
    {
        foreach (var service in _services)
        {
            service.Kill();
            service.WaitForExit();
            service.Dispose();
        }

        _nodeWide.Stop();
        foreach (var side in "abc")
        {
            Run(Ip, "netns", "delete", Namespace(side));
            Run(Ip, "link", "delete", Bridge(side));
        }

        return Task.CompletedTask;
    }

    private static string Bridge(char side) => $"lce2e{Tag}{side}";

    private static string Namespace(char side) => $"lce2e-{Tag}-{side}";

    /// <summary>A namespace on the subnet's bridge, at <paramref name="address"/>, whose service answers each connection with <paramref name="answer"/>.</summary>
    private void StartService(char side, string address, string gateway, string answer)
    {
        var ns = Namespace(side);
        var veth = $"lcd{Tag}{side}";
        Run(Ip, "netns", "add", ns);
        Run(Ip, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Run(Ip, "link", "set", veth, "master", Bridge(side), "up");
        Run(Ip, "-n", ns, "addr", "add", $"{address}/24", "dev", "eth0");
        Run(Ip, "-n", ns, "link", "set", "eth0", "up");
        Run(Ip, "-n", ns, "route", "add", "default", "via", gateway); // answers go back through the node
        var server = $"import socket\ns = socket.create_server(('{address}', {ServicePort}))\nwhile True:\n    c, _ = s.accept()\n    c.sendall(b'{answer}')\n    c.close()\n";
        var start = new ProcessStartInfo(Ip) { UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", ns, "/usr/bin/python3", "-c", server })
        {
            start.ArgumentList.Add(argument);
        }

        _services.Add(Process.Start(start)!);
    }

    /// <summary>Bridges and namespaces of fixtures whose test process is gone.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var path in Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns", "lce2e-*") : [])
        {
            var pid = Path.GetFileName(path).Split('-')[1];
            if (!Directory.Exists($"/proc/{pid}"))
            {
                Run(Ip, "netns", "delete", Path.GetFileName(path));
            }
        }

        foreach (var path in Directory.GetFileSystemEntries("/sys/class/net", "lce2e*"))
        {
            var pid = Path.GetFileName(path)[5..^1];
            if (!Directory.Exists($"/proc/{pid}"))
            {
                Run(Ip, "link", "delete", Path.GetFileName(path));
            }
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }
}
