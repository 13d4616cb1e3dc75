namespace LambdaCluster.Runtimes.Environments;

/// <summary>How the Runtime API answers a runtime's POST (Lambda's statuses and error types).</summary>
public enum RuntimePostOutcome
{
    Accepted,
    InvalidRequestId,
    InvalidStateTransition,
    PayloadTooLarge,
}
