namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// One extension of an environment as <see cref="ExtensionsSession"/> keeps it: its name (an external extension's is its
/// executable's file name), its identifier (<c>Lambda-Extension-Identifier</c>, a UUID), the events it registered for in
/// the order it named them, its state, its parked <c>event/next</c>, and the event waiting for its next call. Read and
/// written only under the session's lock.
/// </summary>
internal sealed class RegisteredExtension(string name, bool external)
{
    public string Name { get; } = name;

    /// <summary>True for a process started from /opt/extensions; false for one registered from inside the runtime's process.</summary>
    public bool External { get; } = external;

    public string Id { get; } = Guid.NewGuid().ToString();

    public ExtensionEvents Events { get; set; }

    /// <summary>The events as it named them, for the EXTENSION log line.</summary>
    public IReadOnlyList<string> EventNames { get; set; } = [];

    public ExtensionState State { get; set; } = ExtensionState.Started;

    /// <summary>Its long poll, while it waits for an event.</summary>
    public TaskCompletionSource<byte[]?>? Parked { get; set; }

    /// <summary>An event given to it while it had no long poll open: handed over on its next call.</summary>
    public byte[]? Pending { get; set; }
}
