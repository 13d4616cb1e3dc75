namespace LambdaCluster.Grains.Pool;

/// <summary>Keys of function-version grains: <c>{function name}:{version}</c>.</summary>
public static class FunctionVersionKey
{
    public static string Latest(string functionName) => $"{functionName}:$LATEST";

    public static string FunctionName(string key) => key[..key.LastIndexOf(':')];
}
