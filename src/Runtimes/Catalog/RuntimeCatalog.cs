namespace LambdaCluster.Runtimes.Catalog;

/// <summary>
/// The runtime identifiers this platform accepts, and the full list Lambda knows (so that a valid
/// but unsupported identifier gets a different message from a misspelt one).
/// </summary>
public static class RuntimeCatalog
{
    private static readonly Dictionary<string, RuntimeDescriptor> Supported = new[]
    {
        new RuntimeDescriptor("nodejs18.x", RuntimeFamily.NodeJs, "18"),
        new RuntimeDescriptor("nodejs20.x", RuntimeFamily.NodeJs, "20"),
        new RuntimeDescriptor("nodejs22.x", RuntimeFamily.NodeJs, "22"),
        new RuntimeDescriptor("python3.9", RuntimeFamily.Python, "3.9"),
        new RuntimeDescriptor("python3.10", RuntimeFamily.Python, "3.10"),
        new RuntimeDescriptor("python3.11", RuntimeFamily.Python, "3.11"),
        new RuntimeDescriptor("python3.12", RuntimeFamily.Python, "3.12"),
        new RuntimeDescriptor("python3.13", RuntimeFamily.Python, "3.13"),
        new RuntimeDescriptor("provided.al2", RuntimeFamily.Provided, "al2"),
        new RuntimeDescriptor("provided.al2023", RuntimeFamily.Provided, "al2023"),
    }.ToDictionary(d => d.Identifier, StringComparer.Ordinal);

    /// <summary>Lambda's Runtime enum (botocore service model), in the model's order.</summary>
    public static readonly IReadOnlyList<string> LambdaRuntimeEnum =
    [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
        "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge",
        "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2",
        "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13",
        "nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0",
    ];

    /// <summary>What runs a container image function (no Runtime of Lambda's): the image's own ENTRYPOINT, as a custom runtime's bootstrap.</summary>
    public static readonly RuntimeDescriptor ContainerImage = new("", RuntimeFamily.Provided, "image");

    public static bool TryGet(string identifier, out RuntimeDescriptor descriptor) =>
        Supported.TryGetValue(identifier, out descriptor!);

    public static IEnumerable<RuntimeDescriptor> All => Supported.Values;
}
