using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>A node of its own for the code signing tests, beside <see cref="NodeCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CodeSigningNodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "code-signing-node";
}
