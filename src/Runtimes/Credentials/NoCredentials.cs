using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Credentials;

/// <summary>Issues nothing: a node without the cluster's state key (the grains) hands functions no credentials.</summary>
public sealed class NoCredentials : ICredentialIssuer
{
    public EnvironmentCredentials? Issue(EnvironmentSpec spec) => null;
}
