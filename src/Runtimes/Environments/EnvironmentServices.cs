using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Logs;
using LambdaCluster.Runtimes.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>The node services every environment uses, bundled so that an environment has one dependency.</summary>
public sealed class EnvironmentServices(
    IEnvironmentLauncher launcher,
    ICredentialIssuer credentials,
    CodeCache codeCache,
    ILogStore logs,
    TimeProvider time,
    IOptions<EnvironmentOptions> options,
    ILogger<ExecutionEnvironment> logger,
    ForkConfinement? forkConfinement = null,
    IOptions<NodeOptions>? node = null,
    Images.ImageStore? images = null)
{
    public IEnvironmentLauncher Launcher { get; } = launcher;

    public ICredentialIssuer Credentials { get; } = credentials;

    public CodeCache CodeCache { get; } = codeCache;

    public ILogStore Logs { get; } = logs;

    public TimeProvider Time { get; } = time;

    public EnvironmentOptions Options { get; } = options.Value;

    public ILogger<ExecutionEnvironment> Logger { get; } = logger;

    /// <summary>How SnapStart forks are confined from outside (null: unconfined, as in unit tests).</summary>
    public ForkConfinement? ForkConfinement { get; } = forkConfinement;

    /// <summary>This node's container images (null: it runs no image functions).</summary>
    public Images.ImageStore? Images { get; } = images;

    /// <summary>The node's data folder (SnapStart templates keep their forks' output pipes under it).</summary>
    public string DataDirectory { get; } = node?.Value.DataDirectory ?? Path.Combine(Path.GetTempPath(), "lambda-cluster");

    /// <summary>Bounds how many environments of this node run INIT at once (<see cref="EnvironmentOptions.MaxConcurrentInits"/>).</summary>
    public SemaphoreSlim InitGate { get; } = new(options.Value.MaxConcurrentInits, options.Value.MaxConcurrentInits);

    /// <summary>Bounds the memory of this node's pre-warmed environments (<see cref="EnvironmentOptions.PrewarmBudgetMb"/>).</summary>
    public PrewarmBudget PrewarmBudget { get; } = new(options.Value.PrewarmBudgetMb);
}
