namespace LambdaCluster.Grains.Permissions;

/// <summary>
/// One statement of a resource-based policy, as AddPermission (or AddLayerVersionPermission) received it; rendered
/// into the JSON statement AWS returns by <see cref="PolicyDocument"/>. Effect is always Allow (AddPermission grants only).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.policy-statement")]
public sealed record PolicyStatement
{
    /// <summary>StatementId: 1-100 of <c>[a-zA-Z0-9-_]</c>, unique within its policy.</summary>
    [Id(0)] public required string Sid { get; init; }

    /// <summary><c>lambda:InvokeFunction</c>, <c>lambda:*</c>, <c>*</c>, ...</summary>
    [Id(1)] public required string Action { get; init; }

    /// <summary>As sent: <c>*</c>, an account id, an IAM ARN, or a service principal (<c>s3.amazonaws.com</c>).</summary>
    [Id(2)] public required string Principal { get; init; }

    /// <summary>The function (qualified when the policy is a version's or alias's) or layer version ARN.</summary>
    [Id(3)] public required string Resource { get; init; }

    [Id(4)] public string? SourceArn { get; init; }

    [Id(5)] public string? SourceAccount { get; init; }

    [Id(6)] public string? PrincipalOrgId { get; init; }

    [Id(7)] public string? EventSourceToken { get; init; }

    /// <summary>NONE or AWS_IAM: the statement applies only to function URL calls of that auth type.</summary>
    [Id(8)] public string? FunctionUrlAuthType { get; init; }

    /// <summary>True: the statement applies only to invocations that come through a function URL.</summary>
    [Id(9)] public bool? InvokedViaFunctionUrl { get; init; }

    /// <summary>Layer permissions: the organization whose accounts may use the layer version.</summary>
    [Id(10)] public string? OrganizationId { get; init; }

    /// <summary>
    /// Whether this statement lets anyone call a NONE-auth function URL: Principal <c>*</c>, an action that covers
    /// <c>lambda:InvokeFunctionUrl</c>, and no auth-type condition other than NONE (the Lambda guide's urls-auth page).
    /// </summary>
    public bool AllowsPublicUrl =>
        Principal == "*"
        && Action is "lambda:InvokeFunctionUrl" or "lambda:*" or "*"
        && FunctionUrlAuthType is null or "NONE"
        && SourceArn is null && SourceAccount is null && PrincipalOrgId is null && EventSourceToken is null;
}
