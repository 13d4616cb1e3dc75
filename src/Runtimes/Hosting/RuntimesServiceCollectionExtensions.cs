using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Logs;
using LambdaCluster.Runtimes.RuntimeApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class RuntimesServiceCollectionExtensions
{
    /// <summary>
    /// What runs code on this node: code store and cache, log store, launcher, environment supervisor and
    /// the Runtime API server. Storage defaults to files under the data directory (the embedded default);
    /// register another <see cref="ICodeStore"/> or <see cref="ILogStore"/> first to replace them.
    /// </summary>
    public static IServiceCollection AddLambdaRuntimes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section));
        services.AddOptions<EnvironmentOptions>().Bind(configuration.GetSection(EnvironmentOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnvironmentOptions>, EnvironmentOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICodeStore, FileCodeStore>();
        services.TryAddSingleton<ILogStore, FileLogStore>();
        services.TryAddSingleton<IEnvironmentLauncher, PlainProcessLauncher>();
        services.AddSingleton<CodeCache>();
        services.AddSingleton<EnvironmentServices>();
        services.AddSingleton<EnvironmentSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<EnvironmentSupervisor>());
        services.AddHostedService<RuntimeApiServer>();
        services.AddHostedService<LogFlushService>();
        return services;
    }
}
