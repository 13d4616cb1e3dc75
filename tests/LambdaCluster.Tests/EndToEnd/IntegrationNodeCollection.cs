using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// A node of its own beside <see cref="NodeCollection"/>, with subnets, a security group, an access point and an S3
/// notification endpoint (<see cref="IntegrationNodeFixture"/>): the code signing, VPC, file system and S3 tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IntegrationNodeCollection : ICollectionFixture<IntegrationNodeFixture>
{
    public const string Name = "integration-node";
}
