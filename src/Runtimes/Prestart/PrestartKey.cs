namespace LambdaCluster.Runtimes.Prestart;

/// <summary>
/// What a pre-started runtime must share with the function it is given: the runtime, and what is fixed when the
/// process starts (Node.js's heap limit follows the memory size; /tmp's size is set when the sandbox is built).
/// </summary>
internal readonly record struct PrestartKey(string Runtime, int MemorySize, int EphemeralStorageSize);
