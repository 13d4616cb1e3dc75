namespace LambdaCluster.Grains.Errors;

/// <summary>
/// The closed set of Lambda error types the control plane and Invoke return. Each maps to exactly one
/// HTTP status and wire name (see the gateway's error writer).
/// </summary>
public enum LambdaErrorType
{
    ResourceNotFoundException,
    ResourceConflictException,
    InvalidParameterValueException,
    InvalidRequestContentException,
    RequestTooLargeException,
    RequestEntityTooLargeException,
    PreconditionFailedException,
    TooManyRequestsException,
    ServiceException,
    ValidationException,
    UnsupportedMediaTypeException,
    ProvisionedConcurrencyConfigNotFoundException,
    PolicyLengthExceededException,
    CodeSigningConfigNotFoundException,
    CodeVerificationFailedException,
    InvalidCodeSignatureException,
    RecursiveInvocationException,
    SnapStartException,
    SnapStartTimeoutException,
    SnapStartNotReadyException,
    InvalidSubnetIDException,
    InvalidSecurityGroupIDException,
    SubnetIPAddressLimitReachedException,
    EFSMountFailureException,

    /// <summary>Not in Lambda's model: IAM's refusal (403), e.g. for another account's function.</summary>
    AccessDeniedException,
}
