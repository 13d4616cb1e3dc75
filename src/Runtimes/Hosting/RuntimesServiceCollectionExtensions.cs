using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.FileSystems;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Journals;
using LambdaCluster.Runtimes.Logs;
using LambdaCluster.Runtimes.RuntimeApi;
using LambdaCluster.Runtimes.Sandbox;
using LambdaCluster.Runtimes.Storage;
using LambdaCluster.Runtimes.Telemetry;
using LambdaCluster.Runtimes.Vpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class RuntimesServiceCollectionExtensions
{
    /// <summary>
    /// Where code blobs, logs and journals (queues, streams) live, for every role: files under the data directory in the embedded
    /// default, Redis in cluster mode (<see cref="ClusterModeOptions.Redis"/> set).
    /// </summary>
    public static IServiceCollection AddLambdaStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section));
        services.AddOptions<ClusterModeOptions>().Bind(configuration.GetSection(ClusterModeOptions.Section));
        // Every role validates VpcConfig and FileSystemConfigs against these (the API), and compute roles attach them.
        services.AddOptions<VpcOptions>().Bind(configuration.GetSection(VpcOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VpcOptions>, VpcOptionsValidator>());
        services.AddOptions<FileSystemOptions>().Bind(configuration.GetSection(FileSystemOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileSystemOptions>, FileSystemOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        var cluster = configuration.GetSection(ClusterModeOptions.Section).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        if (cluster.Enabled)
        {
            services.TryAddSingleton<RedisConnection>();
            services.TryAddSingleton<ICodeStore, RedisCodeStore>();
            services.TryAddSingleton<ILogStore, RedisLogStore>();
            services.TryAddSingleton<IJournalStore, RedisJournalStore>();
        }
        else
        {
            services.TryAddSingleton<ICodeStore, FileCodeStore>();
            services.TryAddSingleton<ILogStore, FileLogStore>();
            services.TryAddSingleton<IJournalStore, FileJournalStore>();
        }

        services.AddHostedService<LogFlushService>();
        services.TryAddSingleton<FunctionMetricsRecorder>(); // every role: throttles are counted where the call was refused
        services.AddHostedService(sp => sp.GetRequiredService<FunctionMetricsRecorder>());
        return services;
    }

    /// <summary>
    /// What runs code on this node (compute roles): code cache, launcher, environment supervisor and the
    /// Runtime API server. Needs <see cref="AddLambdaStorage"/> (or another ICodeStore and ILogStore).
    /// </summary>
    public static IServiceCollection AddLambdaRuntimes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EnvironmentOptions>().Bind(configuration.GetSection(EnvironmentOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnvironmentOptions>, EnvironmentOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICredentialIssuer, NoCredentials>();
        services.TryAddSingleton<SandboxHost>();
        services.TryAddSingleton<NetworkGuard>();
        services.TryAddSingleton<VpcNetworks>();
        services.TryAddSingleton<AccessPointMounts>();
        services.TryAddSingleton<LambdaCluster.Runtimes.Snapshots.ForkConfinement>();
        services.TryAddSingleton<IEnvironmentLauncher>(sp => sp.GetRequiredService<IOptions<EnvironmentOptions>>().Value.Isolation == IsolationMode.None
            ? ActivatorUtilities.CreateInstance<PlainProcessLauncher>(sp)
            : ActivatorUtilities.CreateInstance<SandboxLauncher>(sp));
        services.AddHostedService<IsolationReport>();
        services.AddSingleton<CodeCache>();
        services.AddOptions<LambdaCluster.Runtimes.Images.ImageOptions>().Bind(configuration.GetSection(LambdaCluster.Runtimes.Images.ImageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LambdaCluster.Runtimes.Images.ImageOptions>, LambdaCluster.Runtimes.Images.ImageOptionsValidator>();
        services.TryAddSingleton<LambdaCluster.Runtimes.Images.RegistryClient>();
        services.AddSingleton<LambdaCluster.Runtimes.Images.ImageStore>();
        services.AddHostedService<LambdaCluster.Runtimes.Images.ImageSweeper>();
        services.AddSingleton<EnvironmentServices>();
        services.AddHostedService(sp => sp.GetRequiredService<NetworkGuard>()); // before the supervisor: stops after it
        services.AddHostedService(sp => sp.GetRequiredService<VpcNetworks>()); // likewise
        services.AddSingleton<EnvironmentSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<EnvironmentSupervisor>());
        services.AddHostedService<RuntimeApiServer>();
        return services;
    }
}
