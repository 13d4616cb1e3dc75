using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The shared node: its test classes run one after another. The classes of <see cref="SqsNodeCollection"/> and
/// <see cref="IntegrationNodeCollection"/> have a node of their own and run beside it (the suite's longest path is this
/// collection; the CPU is not always busy while it runs).
/// </summary>
[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "node";
}
