namespace LambdaCluster.Runtimes.Hosting;

/// <summary>How this node runs execution environments (section <c>Environments</c>).</summary>
public sealed class EnvironmentOptions
{
    public const string Section = "Environments";

    /// <summary>Interpreter for the nodejs* runtimes.</summary>
    public string NodeExecutable { get; set; } = "/usr/bin/node";

    /// <summary>
    /// Interpreter for the python3.* runtimes. Debian's own python3 starts several times faster than a
    /// pyenv shim, and interpreter start is most of a cold start.
    /// </summary>
    public string PythonExecutable { get; set; } = "/usr/bin/python3";

    /// <summary>
    /// How many Runtime API endpoints (loopback ports) this node binds at start. Each live environment
    /// holds one, so this is the most environments one node runs at once.
    /// </summary>
    public int RuntimeApiSlots { get; set; } = 1024;

    /// <summary>How many environments run INIT at once on this node; a burst of cold starts queues behind them.</summary>
    public int MaxConcurrentInits { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>
    /// How long an idle environment stays warm before it is shut down; with <see cref="PredictiveKeepWarm"/>, the
    /// fallback for versions whose idle-time history does not (yet) predict their next call.
    /// </summary>
    public TimeSpan KeepWarm { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Chooses each version's keep-warm and pre-warm windows from its history of idle times, the hybrid histogram policy
    /// of Shahrad et al., "Serverless in the Wild", USENIX ATC 2020: a version called every 12 minutes has its
    /// environment let go after each call and started again (INIT ahead of traffic) shortly before the next. False:
    /// always <see cref="KeepWarm"/>.
    /// </summary>
    public bool PredictiveKeepWarm { get; set; } = true;

    /// <summary>
    /// Memory in MB this node gives to environments pre-warmed ahead of a predicted call and not used yet, each counting
    /// its function's MemorySize; a pre-warm beyond it is skipped (that call starts cold). 0: no pre-warming (the
    /// history then only sets how long environments are kept).
    /// </summary>
    public int PrewarmBudgetMb { get; set; } = 1024;

    /// <summary>
    /// Longest idle time the history learns, a whole number of minutes (the histogram's 1-minute bins reach this far;
    /// the paper's 4 hours): longer ones only count as out of range, and no prediction keeps an environment longer.
    /// </summary>
    public TimeSpan IdleHistoryRange { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The longest a pool may keep an environment idle: <see cref="KeepWarm"/>, or the history's range when predicting.</summary>
    public TimeSpan LongestKeepWarm => PredictiveKeepWarm && IdleHistoryRange > KeepWarm ? IdleHistoryRange : KeepWarm;

    /// <summary>
    /// How long a silo's dispatcher keeps the lease on a warm local environment after a call, for the next call of the
    /// same version to skip the pool. A held lease counts as busy at the pool (which calls it back before refusing a
    /// call for concurrency), so this is short; it delays scale-in by at most this much.
    /// </summary>
    public TimeSpan LeaseHold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lambda's limit on the INIT phase of an on-demand environment.</summary>
    public TimeSpan InitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How environments are confined: <see cref="IsolationMode.Sandbox"/> (the default) or <see cref="IsolationMode.None"/>.</summary>
    public IsolationMode Isolation { get; set; } = IsolationMode.Sandbox;

    /// <summary>
    /// Whether environments' processes run under SCHED_BATCH (sched(7)) instead of the default SCHED_OTHER: the same
    /// share of the CPU, but a function process woken by its next event never preempts the node's own thread that woke
    /// it, so the node finishes the events it has in hand before the functions run. With many environments busy on few
    /// cores this saves context switches; see docs/benchmarks.md. On by default.
    /// </summary>
    public bool BatchScheduling { get; set; } = true;

    /// <summary>
    /// Whether the node keeps Node.js and Python runtimes started ahead of their functions, so that a cold start is
    /// given one instead of starting an interpreter (Prestart/PrestartPool). On by default.
    /// </summary>
    public bool Prestart { get; set; } = true;

    /// <summary>
    /// Most SnapStart templates (version snapshots) one node keeps (and never more than half its Runtime API slots); past
    /// it, the one whose forks went longest ago makes room. Each holds a Runtime API slot and the memory of its INIT.
    /// </summary>
    public int SnapStartTemplates { get; set; } = 64;

    /// <summary>Most memory, in MB, the node's waiting pre-started runtimes may use together.</summary>
    public int PrestartBudgetMb { get; set; } = 256;

    /// <summary>Most pre-started runtimes the node keeps waiting for one runtime, memory size and /tmp size.</summary>
    public int PrestartPerKey { get; set; } = 4;

    /// <summary>The bubblewrap executable that builds each sandbox.</summary>
    public string BubblewrapExecutable { get; set; } = "/usr/bin/bwrap";

    /// <summary>
    /// First of the host user ids sandboxed environments run as: an environment runs as this plus its Runtime API port,
    /// so no two live environments on a machine share a user (ports are unique) and none is the node's.
    /// </summary>
    public int SandboxUserIdBase { get; set; } = 200_000;

    /// <summary>
    /// TCP ports on this machine's own addresses that sandboxed functions may reach besides their Runtime API: the
    /// Lambda API's (the node adds its own), so functions can call this cluster with the SDKs. Every other local port is closed to them.
    /// </summary>
    public List<int> ReachableLocalPorts { get; set; } = [];

    /// <summary>TCP ports sandboxed functions may not reach on any address: the cluster's internal ports (the node adds its Orleans and Redis ports).</summary>
    public List<int> BlockedPorts { get; set; } = [];

    /// <summary>Most processes and threads one environment may have at once (Lambda's limit is 1,024).</summary>
    public int PidsLimit { get; set; } = 1024;

    /// <summary>Folder holding the runtime clients (defaults to the copy next to the node's binaries).</summary>
    public string RuntimeClientsDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "runtime-clients");
}
