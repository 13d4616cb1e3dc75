using System.Globalization;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Sandbox;
using LambdaCluster.Tests.Support.Fakes;
using LambdaCluster.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

/// <summary>
/// Three silos on Orleans.TestingHost, wired as cluster mode is: function state, code blobs and logs in a
/// private real Redis (membership is the test host's own, in memory, so silos can be killed in-process); each silo with its own environment supervisor and Runtime API ports running
/// real interpreter processes. Short keep-warm window (3 s) so scale-to-zero is observable.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;

    public static readonly TimeSpan KeepWarm = TimeSpan.FromSeconds(3);

    private readonly string _workDirectory = Directory.CreateTempSubdirectory("lambda-cluster-").FullName;

    public RedisServer Redis { get; private set; } = null!;

    /// <summary>Faults tests switch on for their own functions (every silo's code store and launcher obey them).</summary>
    public Faults Faults { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public ICodeStore CodeStore => Cluster.Silos[0].ServiceProvider.GetRequiredService<ICodeStore>();

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.ConfigureSiloHost((silo, host) =>
        {
            host.Configuration.AddInMemoryCollection(Settings(silo.SiloName));
            // Real storage and processes, wrapped so a test can make one of its functions fail on purpose.
            host.Services.AddSingleton(Faults);
            host.Services.AddSingleton<ICodeStore>(sp => new FaultyCodeStore(ActivatorUtilities.CreateInstance<RedisCodeStore>(sp), Faults));
            host.Services.AddSingleton<IEnvironmentLauncher>(sp => new FaultyLauncher(ActivatorUtilities.CreateInstance<SandboxLauncher>(sp), Faults, _workDirectory));
            host.Services.AddLambdaStorage(host.Configuration);
            host.Services.AddLambdaRuntimes(host.Configuration);
        });
        builder.ConfigureSilo((silo, orleans) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(silo.SiloName)).Build();
            orleans.AddRedisGrainStorage(GrainStorageNames.Functions, options => options.Configure<Serializer, StateKey>((o, serializer, key) =>
            {
                o.ConfigurationOptions = ConfigurationOptions.Parse(Redis.ConnectionString);
                o.GrainStorageSerializer = GrainsSiloBuilderExtensions.StateSerializer(serializer, key);
            }));
            orleans.Configure<ClusterMembershipOptions>(o => (o.ProbeTimeout, o.NumMissedProbesLimit) = (TimeSpan.FromSeconds(1), 2));
            orleans.AddLambdaGrains(configuration);
        });
        builder.ConfigureClientHost(client => client.Services.AddLambdaClient()); // the test client invokes as a gateway-only process does
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Every live environment on every active silo (the processes the cluster holds right now).</summary>
    public IReadOnlyList<(SiloAddress Silo, ExecutionEnvironment Environment)> LiveEnvironments() =>
        [.. Cluster.Silos.Where(s => s.IsActive).SelectMany(s => s.ServiceProvider.GetRequiredService<EnvironmentSupervisor>().Environments.Select(e => (s.SiloAddress, e)))];

    /// <summary>
    /// Placement follows load: environments earlier tests left on some silos (until their keep-warm window ends)
    /// rightly attract new ones to the emptiest silo. Tests about spreading start from a quiet cluster, with
    /// load samples (taken every second) that show it.
    /// </summary>
    public async Task WaitForQuietAsync()
    {
        await Waits.UntilAsync("no on-demand environment left by earlier tests",
            () => Task.FromResult(LiveEnvironments().Count(e => !e.Environment.Provisioned)),
            count => count == 0,
            KeepWarm * 4);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    /// <summary>Kills a silo abruptly as a crashed machine would go, and its processes with it.</summary>
    public async Task KillSiloAsync(InProcessSiloHandle silo)
    {
        var supervisor = silo.ServiceProvider.GetRequiredService<EnvironmentSupervisor>();
        await Cluster.KillSiloAsync(silo);
        await supervisor.StopAsync(CancellationToken.None); // in-process silos share our process: end their children here
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in Cluster.Silos.Where(s => s.IsActive))
        {
            await silo.ServiceProvider.GetRequiredService<EnvironmentSupervisor>().StopAsync(CancellationToken.None);
        }

        await Cluster.DisposeAsync();
        await Redis.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    private Dictionary<string, string?> Settings(string siloName) => new()
    {
        [$"{NodeOptions.Section}:DataDirectory"] = Path.Combine(_workDirectory, siloName),
        [$"{ClusterModeOptions.Section}:Redis"] = Redis.ConnectionString,
        [$"{EnvironmentOptions.Section}:KeepWarm"] = KeepWarm.ToString("c", CultureInfo.InvariantCulture),
        // The tests time scale-in by the fixed window; predicted windows are whole minutes (KeepWarmPlannerTests cover them).
        [$"{EnvironmentOptions.Section}:PredictiveKeepWarm"] = "false",
        // Faults are injected by function name at launch; a pre-started runtime is launched before it has one.
        [$"{EnvironmentOptions.Section}:Prestart"] = "false",
        [$"{EnvironmentOptions.Section}:RuntimeApiSlots"] = "400",
        ["Concurrency:AccountLimit"] = "2000",
    };
}
