namespace LambdaCluster.Grains.Functions;

/// <summary>Names of the grain storage providers the grains persist to.</summary>
public static class GrainStorageNames
{
    public const string Functions = "functions";
}
