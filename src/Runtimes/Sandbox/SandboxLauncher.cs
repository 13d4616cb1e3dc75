using System.Globalization;
using LambdaCluster.Runtimes.Extensions;
using LambdaCluster.Runtimes.FileSystems;
using LambdaCluster.Runtimes.Images;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.TelemetryApi;
using LambdaCluster.Runtimes.Vpc;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// Starts each environment in a sandbox of its own, built by bubblewrap (https://github.com/containers/bubblewrap), the
/// way Lambda's execution environment looks from inside (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html):
/// <list type="bullet">
/// <item>a private mount namespace holding only the operating system read-only (/usr, the parts of /etc runtimes need), the function's code
/// read-only at /var/task, its layers read-only at /opt, the runtime client read-only at /var/runtime, and a private
/// /tmp bounded by EphemeralStorage; nothing of the node's data directory or of other functions;</item>
/// <item>its own PID, IPC and UTS namespaces (it sees only its own processes), a new session, and death with the node
/// (<c>--die-with-parent</c>);</item>
/// <item>a host user of its own (<see cref="EnvironmentOptions.SandboxUserIdBase"/> + its Runtime API port), no
/// capabilities and no_new_privs, set by setpriv inside the sandbox;</item>
/// <item>a control group bounding its memory at MemorySize, its processes and threads at <see cref="EnvironmentOptions.PidsLimit"/>
/// and weighting its CPU by memory (<see cref="ResourceLimits"/>).</item>
/// </list>
/// The network namespace is the host's, where <see cref="NetworkGuard"/> decides what an environment may reach; a
/// function with a VpcConfig runs in a namespace of its own on one of its subnets instead (<see cref="VpcNetworks"/>),
/// and one with a FileSystemConfig gets its access point's directory read-write at its LocalMountPath, its processes
/// running as the access point's POSIX user (<see cref="AccessPointMounts"/>).
/// Throws <see cref="SandboxUnavailableException"/> when the host cannot sandbox, <see cref="LaunchRefusedException"/>
/// when the function's subnets, security groups or access point are not usable on this node.
/// </summary>
public sealed class SandboxLauncher(IOptions<EnvironmentOptions> options, IOptions<NodeOptions> node, SandboxHost host, NetworkGuard network, VpcNetworks networks, AccessPointMounts fileSystems, TimeProvider time) : IEnvironmentLauncher
{
    /// <summary>Where Lambda puts the function's code (LAMBDA_TASK_ROOT).</summary>
    public const string TaskRoot = "/var/task";

    /// <summary>Where Lambda puts the runtime (LAMBDA_RUNTIME_DIR).</summary>
    public const string RuntimeRoot = "/var/runtime";

    /// <summary>Where Lambda mounts the function's layers.</summary>
    public const string LayersRoot = "/opt";

    /// <summary>Where a SnapStart template sees the output pipes of the environments forked from it (<see cref="LaunchRequest.ForkDirectory"/>).</summary>
    public const string ForkDirectory = "/var/lambda-forks";

    /// <summary>util-linux's nsenter, which enters a mount namespace and runs bubblewrap there.</summary>
    public const string NsenterExecutable = "/usr/bin/nsenter";

    /// <summary>util-linux's unshare: a container image's sandbox is prepared in a mount namespace of its own (<see cref="ImageMountPoint"/>).</summary>
    public const string UnshareExecutable = "/usr/bin/unshare";

    /// <summary>
    /// Where a container image's root is bound, in a private mount namespace of each environment, for bubblewrap (which runs as
    /// the environment's user there) to read: an empty folder every user can enter, whatever the data directory's own modes.
    /// </summary>
    public const string ImageMountPoint = "/run/lambda-cluster/image";

    /// <summary>
    /// Run as root in the environment's own mount namespace: opens the passwd, group and hosts files ($1-$3) as fds 3-5 for
    /// bubblewrap's --ro-bind-data, binds the image's root ($4) on $5, then becomes the rest (setpriv, then bubblewrap).
    /// </summary>
    private const string ImagePreparation = "exec 3<\"$1\" 4<\"$2\" 5<\"$3\" && mount --rbind \"$4\" \"$5\" && shift 5 && exec \"$@\"";

    /// <summary>The user Lambda runs functions as (its name in /etc/passwd; the id is the environment's own).</summary>
    public const string UserName = "sbx_user1051";

    private const long Megabyte = 1024 * 1024;

    /// <summary>
    /// What of the host's /etc a runtime needs (name resolution, TLS roots, time zone, the dynamic linker's cache, MIME
    /// types): only these are mounted, so nothing an operator keeps in /etc (a node's settings file) reaches a function.
    /// </summary>
    private static readonly string[] EtcFiles =
    [
        "resolv.conf", "host.conf", "nsswitch.conf", "gai.conf", "protocols", "services", "ssl", "ca-certificates",
        "ca-certificates.conf", "pki", "crypto-policies", "localtime", "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
        "alternatives", "mime.types", "os-release", "debian_version", "system-release",
    ];

    /// <summary>The variables as the sandbox shows paths: the code at /var/task, layers at /opt, the client at /var/runtime.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(LaunchRequest request) =>
        ProcessEnvironmentBuilder.Build(request with { CodeDirectory = TaskRoot, LayersDirectory = null }, RuntimeRoot);

    public IEnvironmentProcess Launch(LaunchRequest request, Action<string> onOutputLine)
    {
        if ((host.Unavailable ?? network.Failure) is { } reason)
        {
            throw new SandboxUnavailableException(reason);
        }

        // Flow: the access point's directory and user → the subnet attachment (its own network namespace) → the user
        // files and control group → nsenter (a pre-started runtime's mount namespace or the attachment's network
        // namespace) → bubblewrap → setpriv → the runtime.
        if (request.Spec.FileSystem is not null && request.Spec.Vpc is null)
        {
            // Its processes run as the access point's user, whom the node-namespace rules (NetworkGuard) do not know.
            throw new LaunchRefusedException(PlatformFailureReason.FileSystemMountFailed, "Lambda was not able to mount the function's file system: a function must be configured to execute in a VPC to mount one.");
        }

        if (request.Spec.Vpc is not null && request.PrestartSlot is not null)
        {
            throw new InvalidOperationException("A pre-started runtime waits in the node's network namespace and cannot serve a function in a VPC.");
        }

        var settings = options.Value;
        var port = RuntimeApiPort(request.RuntimeApiAddress);
        var mount = request.Spec.FileSystem is { } fileSystem ? fileSystems.Prepare(fileSystem) : null;
        var user = mount is { User: var posix } ? new SandboxUser(posix.Uid, posix.Gid, posix.SecondaryGids) : new SandboxUser(settings.SandboxUserIdBase + port, settings.SandboxUserIdBase + port, []);
        if (request.Image is not null && request.Spec.FileSystem is not null)
        {
            throw new LaunchRefusedException(PlatformFailureReason.FileSystemMountFailed, "Lambda was not able to mount the function's file system: file systems are not mounted into container images on this node.");
        }

        var environment = (Dictionary<string, string>)EnvironmentFor(request);
        if (request.ForkDirectory is not null)
        {
            // A SnapStart template: each environment forked from it confines itself (lambda_cluster_fork.py), /tmp bounded so.
            environment["_LAMBDA_CLUSTER_FORK_SANDBOX"] = request.Spec.EphemeralStorageSize.ToString(CultureInfo.InvariantCulture);
        }

        NetworkAttachment? attachment = null;
        string? files = null;
        ControlGroup? group = null;
        try
        {
            if (request.Spec.Vpc is { } vpc)
            {
                attachment = networks.Attach(port, vpc);
                environment["AWS_LAMBDA_RUNTIME_API"] = string.Create(CultureInfo.InvariantCulture, $"{attachment.Host}:{port}");
            }

            files = UserFiles(request.EnvironmentId, user, port);
            group = host.ControlGroups!.Create(request.EnvironmentId, ResourceLimits.For(request.Spec, settings.PidsLimit));
            // A pre-started runtime's sandbox is built in the slot helper's mount namespace, where its code is mounted later.
            string[] inNamespace = request.PrestartSlot?.MountNamespace is { } ns ? [NsenterExecutable, $"--mount={ns}", "--"]
                : attachment is not null ? [NsenterExecutable, $"--net={attachment.NamespacePath}", "--"]
                : [];
            List<string> command;
            if (request.Image is { } image)
            {
                // The image is the root, read-only: the host's setpriv cannot run inside it, so the user is switched before
                // bubblewrap, which then builds the sandbox in a user namespace of its own (the same uid inside and out).
                // The paths to the image and these files need not be open to that user: root binds the image on a folder
                // anyone may enter, in a mount namespace of the environment's own, and hands the files over as descriptors.
                var uid = user.Uid.ToString(CultureInfo.InvariantCulture);
                var gid = user.Gid.ToString(CultureInfo.InvariantCulture);
                EnsureImageMountPoint();
                command = [.. inNamespace, UnshareExecutable, "--mount", "--propagation", "private", "--", "/bin/sh", "-c", ImagePreparation, "sh",
                    Path.Combine(files, "passwd"), Path.Combine(files, "group"), Path.Combine(files, "hosts"), image.Directory, ImageMountPoint,
                    .. UserSwitch(user), settings.BubblewrapExecutable, "--unshare-user", "--uid", uid, "--gid", gid,
                    .. ImageBubblewrapArguments(request, image), "--", .. ExternalExtensions.Wrap(ImageProcess.Command(request.Spec.Image!, image.Config), LayersRoot, request.Extensions)];
            }
            else
            {
                var (executable, arguments) = RuntimeCommand.For(request, settings, TaskRoot, RuntimeRoot);
                command = [.. inNamespace, settings.BubblewrapExecutable, .. BubblewrapArguments(request, settings, executable, files, Path.GetFullPath(node.Value.DataDirectory), mount), "--", .. UserSwitch(user),
                    .. ExternalExtensions.Wrap([executable, .. arguments], LayersRoot, request.Extensions)];
            }

            var process = RuntimeProcess.Start(command, request.CodeDirectory, environment, group.ProcFiles, settings.BatchScheduling);
            return new SandboxedProcess(new PlainEnvironmentProcess(process, onOutputLine, time, killsTree: false), group, files, attachment);
        }
        catch
        {
            _ = group?.DeleteAsync();
            attachment?.Dispose();
            try
            {
                if (files is not null)
                {
                    Directory.Delete(files, recursive: true);
                }
            }
            catch (IOException)
            {
                // The launch's own failure is the one to report.
            }

            throw;
        }
    }

    /// <summary>The host user an environment runs as: the base plus its Runtime API port (unique among live environments).</summary>
    public static int UserFor(string runtimeApiAddress, int userIdBase) => userIdBase + RuntimeApiPort(runtimeApiAddress);

    private static int RuntimeApiPort(string runtimeApiAddress) =>
        int.Parse(runtimeApiAddress.AsSpan(runtimeApiAddress.LastIndexOf(':') + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// /etc/passwd and /etc/group naming the environment's user as Lambda names it, in a folder of the environment's own
    /// under the data directory (only these two files are mounted): runtimes and SDKs look the user up (Node.js's
    /// os.homedir(), Python's getpass), and a user without an entry breaks them.
    /// </summary>
    private string UserFiles(string environmentId, SandboxUser user, int runtimeApiPort)
    {
        var directory = Directory.CreateDirectory(Path.Combine(node.Value.DataDirectory, "sandboxes", environmentId)).FullName;
        File.WriteAllText(Path.Combine(directory, "passwd"), string.Create(CultureInfo.InvariantCulture,
            $"root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n{UserName}:x:{user.Uid}:{user.Gid}::/home/{UserName}:/sbin/nologin\n"));
        File.WriteAllText(Path.Combine(directory, "group"), string.Create(CultureInfo.InvariantCulture, $"root:x:0:\nnogroup:x:65534:\n{UserName}:x:{user.Gid}:\n"));
        File.WriteAllText(Path.Combine(directory, "hosts"), SandboxAddress.HostsFile(File.Exists("/etc/hosts") ? File.ReadAllText("/etc/hosts") : null, runtimeApiPort));
        return directory;
    }

    private static List<string> BubblewrapArguments(LaunchRequest request, EnvironmentOptions settings, string executable, string userFiles, string dataDirectory, AccessPointMount? mount)
    {
        var arguments = new List<string>
        {
            "--die-with-parent", "--new-session",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "localhost",
            "--ro-bind", "/usr", "/usr",
            "--perms", "0755", "--dir", "/etc",
            "--ro-bind", Path.Combine(userFiles, "passwd"), "/etc/passwd",
            "--ro-bind", Path.Combine(userFiles, "group"), "/etc/group",
        };
        foreach (var file in EtcFiles)
        {
            arguments.AddRange(["--ro-bind-try", $"/etc/{file}", $"/etc/{file}"]);
        }

        // The host's names and sandbox.localdomain, the environment's own address (TelemetryApi/SandboxAddress).
        arguments.AddRange(["--ro-bind", Path.Combine(userFiles, "hosts"), "/etc/hosts"]);

        // Debian and Amazon Linux keep /bin, /sbin and /lib as links into /usr; elsewhere they are folders of their own.
        foreach (var top in new[] { "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32" })
        {
            if (new FileInfo(top).LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, top]);
            }
            else if (Directory.Exists(top))
            {
                arguments.AddRange(["--ro-bind", top, top]);
            }
        }

        arguments.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        arguments.AddRange(["--perms", "1777", "--size", (request.Spec.EphemeralStorageSize * Megabyte).ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]);
        // bubblewrap makes missing parents private (0700), which the environment's user could not enter.
        arguments.AddRange(["--perms", "0755", "--dir", "/var"]);
        arguments.AddRange(["--ro-bind", ProcessEnvironmentBuilder.RuntimeDirectory(request.Runtime, settings.RuntimeClientsDirectory), RuntimeRoot]);
        if (request.PrestartSlot is { } slot)
        {
            // Empty until the runtime is given a function, whose code and layers are then mounted into these (SlotMounts).
            arguments.AddRange(["--ro-bind", Path.Combine(slot.Folder, "task"), TaskRoot, "--ro-bind", Path.Combine(slot.Folder, "opt"), LayersRoot]);
        }
        else
        {
            arguments.AddRange(["--ro-bind", request.CodeDirectory, TaskRoot]);
            // Lambda's /opt exists with or without layers.
            arguments.AddRange(request.LayersDirectory is { } layers ? ["--ro-bind", layers, LayersRoot] : ["--perms", "0755", "--dir", LayersRoot]);
        }

        if (request.ForkDirectory is { } forks)
        {
            arguments.AddRange(["--ro-bind", forks, ForkDirectory]);
        }

        if (mount is not null)
        {
            // Lambda's EFS mount: read-write, shared with every environment that mounts the access point.
            arguments.AddRange(["--perms", "0755", "--dir", "/mnt", "--bind", mount.HostDirectory, mount.LocalMountPath]);
        }

        // An interpreter installed outside /usr (a pyenv or nvm tree) is brought in read-only at the same path, last so
        // that no other mount hides it.
        if (InstallRoot(executable, dataDirectory) is { } installRoot)
        {
            arguments.AddRange(["--ro-bind", installRoot, installRoot]);
        }

        arguments.AddRange(["--chdir", TaskRoot]);
        return arguments;
    }

    /// <summary>
    /// A container image function's sandbox: the unpacked image read-only as / (bound on <see cref="ImageMountPoint"/> first),
    /// the environment's passwd, group and hosts files (from descriptors 3-5), the host's resolv.conf, its own /proc and /dev, a /tmp bounded by EphemeralStorage, and the working
    /// directory ImageConfig or the image names (/var/task by default). The mount points exist in every unpacked image
    /// (<see cref="ImageStore"/> makes them).
    /// </summary>
    private static List<string> ImageBubblewrapArguments(LaunchRequest request, ImageRoot image) =>
    [
        "--die-with-parent", "--new-session",
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "localhost",
        "--ro-bind", ImageMountPoint, "/",
        "--ro-bind-data", "3", "/etc/passwd",
        "--ro-bind-data", "4", "/etc/group",
        "--ro-bind-data", "5", "/etc/hosts",
        "--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf",
        "--proc", "/proc", "--dev", "/dev",
        "--perms", "1777", "--size", (request.Spec.EphemeralStorageSize * Megabyte).ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
        "--chdir", ImageProcess.WorkingDirectory(request.Spec.Image!, image.Config),
    ];

    /// <summary>The empty folder images are bound on (in each environment's own mount namespace), made once, open to every user.</summary>
    private static void EnsureImageMountPoint()
    {
        if (!Directory.Exists(ImageMountPoint))
        {
            Directory.CreateDirectory(ImageMountPoint);
            File.SetUnixFileMode(Path.GetDirectoryName(ImageMountPoint)!, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(ImageMountPoint, (UnixFileMode)0b111_101_101);
        }
    }

    /// <summary>setpriv becomes the environment's user and groups, drops every capability and sets no_new_privs, then execs the runtime.</summary>
    private static string[] UserSwitch(SandboxUser user)
    {
        string[] groups = user.SupplementaryGids.Count == 0 ? ["--clear-groups"] : ["--groups", string.Join(',', user.SupplementaryGids.Select(g => g.ToString(CultureInfo.InvariantCulture)))];
        return [SandboxHost.SetprivExecutable, "--reuid", user.Uid.ToString(CultureInfo.InvariantCulture), "--regid", user.Gid.ToString(CultureInfo.InvariantCulture), .. groups,
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"];
    }

    /// <summary>
    /// The folder an interpreter outside /usr is installed in (two levels above its real path: prefix/bin/exe), or null.
    /// Throws InvalidOperationException when that folder is too wide to show a function (/, a top-level folder such as
    /// /root, or one holding the node's data directory).
    /// </summary>
    private static string? InstallRoot(string executable, string dataDirectory)
    {
        if (!Path.IsPathRooted(executable) || !File.Exists(executable))
        {
            return null;
        }

        var real = new FileInfo(executable).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? executable;
        if (real.StartsWith("/usr/", StringComparison.Ordinal) || real.StartsWith("/bin/", StringComparison.Ordinal))
        {
            return null;
        }

        var root = Path.GetDirectoryName(Path.GetDirectoryName(real)) ?? "/";
        if (root.Split('/', StringSplitOptions.RemoveEmptyEntries).Length < 2 || (dataDirectory + "/").StartsWith(root + "/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The interpreter {executable} is installed in {root}, which the sandbox will not show a function whole; install it under /usr or a folder of its own.");
        }

        return root;
    }
}
