namespace LambdaCluster.Grains.Functions;

/// <summary>ARNs as Lambda spells them.</summary>
public static class FunctionArns
{
    public static string Function(string region, string accountId, string functionName) =>
        $"arn:aws:lambda:{region}:{accountId}:function:{functionName}";

    public static string Qualified(string functionArn, string qualifier) => $"{functionArn}:{qualifier}";
}
