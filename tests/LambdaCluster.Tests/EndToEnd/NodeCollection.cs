using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "node";
}
