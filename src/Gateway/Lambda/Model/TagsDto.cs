namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>TagResource's body and ListTags' answer: <c>{"Tags":{...}}</c>.</summary>
public sealed class TagsDto
{
    public Dictionary<string, string>? Tags { get; init; }
}
