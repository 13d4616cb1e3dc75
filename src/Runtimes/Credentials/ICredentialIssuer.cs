using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Credentials;

/// <summary>Issues an environment's temporary credentials when its process starts; none when no issuer is registered.</summary>
public interface ICredentialIssuer
{
    /// <summary>New credentials scoped to <paramref name="spec"/>'s function, or null when this node issues none.</summary>
    EnvironmentCredentials? Issue(EnvironmentSpec spec);
}
