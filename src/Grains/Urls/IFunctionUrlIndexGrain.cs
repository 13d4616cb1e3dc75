namespace LambdaCluster.Grains.Urls;

/// <summary>Which function (and alias) a URL id belongs to (key: the URL id). Written by the function grain.</summary>
[Alias("lambda.IFunctionUrlIndexGrain")]
public interface IFunctionUrlIndexGrain : IGrainWithStringKey
{
    [Alias("Set")] Task SetAsync(FunctionUrlSetting? setting);

    /// <summary>The URL's current setting, or null when no function has this URL.</summary>
    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave] Task<FunctionUrlSetting?> GetAsync();
}
