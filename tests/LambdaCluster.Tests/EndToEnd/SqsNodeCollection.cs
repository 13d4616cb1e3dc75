using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>A node of its own for the SQS API tests (long: many CLI calls and long polls), beside <see cref="NodeCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SqsNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "sqs-node";
}
