namespace LambdaCluster.Grains.Pool;

/// <summary>Keys of function-version grains: <c>{function name}:{version}</c>.</summary>
public static class FunctionVersionKey
{
    public static string Of(string functionName, string version) => $"{functionName}:{version}";

    public static string Latest(string functionName) => Of(functionName, "$LATEST");

    public static string FunctionName(string key) => key[..key.LastIndexOf(':')];

    public static string Version(string key) => key[(key.LastIndexOf(':') + 1)..];
}
