using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// A node of its own beside <see cref="NodeCollection"/>, with subnets, a security group and an access point
/// (<see cref="VpcNodeFixture"/>): the code signing, VPC and file system tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class VpcNodeCollection : ICollectionFixture<VpcNodeFixture>
{
    public const string Name = "vpc-node";
}
