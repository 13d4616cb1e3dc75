using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Permissions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// A function's resource-based policy: AddPermission, GetPolicy, RemovePermission (Lambda API reference; shapes and
/// constraints from botocore's model). The policy of a function URL's function or alias decides whether a NONE URL
/// serves anyone: it must allow <c>lambda:InvokeFunctionUrl</c> to principal <c>*</c>.
/// </summary>
public sealed partial class PolicyApi(IGrainFactory grains, IOptions<NodeOptions> node)
{
    private string Region => node.Value.Region;

    private string AccountId => node.Value.AccountId;

    /// <summary>201 <c>{"Statement": "&lt;statement JSON&gt;"}</c>.</summary>
    public async Task AddPermissionAsync(HttpContext http, string functionName)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.AddPermissionRequest);
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        var statement = Statement(request);
        var added = await grains.GetGrain<IFunctionGrain>(target.Name).AddPermissionAsync(target.Qualifier, statement, request.RevisionId);
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, new PermissionStatementResponse(PolicyDocument.Render(added)), LambdaJsonContext.Default.PermissionStatementResponse);
    }

    /// <summary>200 <c>{"Policy": "&lt;policy JSON&gt;", "RevisionId": ...}</c>; 404 when there is no policy.</summary>
    public async Task GetPolicyAsync(HttpContext http, string functionName)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        var policy = await grains.GetGrain<IFunctionGrain>(target.Name).GetPolicyAsync(target.Qualifier);
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new PolicyResponse(PolicyDocument.Render(policy.Statements), policy.RevisionId), LambdaJsonContext.Default.PolicyResponse);
    }

    /// <summary>204; 404 when the statement is not in the policy.</summary>
    public async Task RemovePermissionAsync(HttpContext http, string functionName, string statementId)
    {
        var target = FunctionTarget.From(http, functionName, Region, AccountId);
        Check(statementId, "statementId", 100, NamespacedStatementIdPattern(), "([a-zA-Z0-9-_.]+)");
        await grains.GetGrain<IFunctionGrain>(target.Name).RemovePermissionAsync(target.Qualifier, statementId, http.Request.Query["RevisionId"].FirstOrDefault());
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }

    /// <summary>The statement AddPermission asks for, every field checked against the model's constraints (Resource is set by the grain).</summary>
    internal static PolicyStatement Statement(AddPermissionRequest request)
    {
        var sid = Required(request.StatementId, "statementId");
        Check(sid, "statementId", 100, StatementIdPattern(), "([a-zA-Z0-9-_]+)");
        var action = Required(request.Action, "action");
        Check(action, "action", int.MaxValue, ActionPattern(), "(lambda:[*]|lambda:[a-zA-Z]+|[*])");
        var principal = Required(request.Principal, "principal");
        Check(principal, "principal", int.MaxValue, PrincipalPattern(), @"[^\s]+");
        if (request.SourceArn is { } sourceArn)
        {
            Check(sourceArn, "sourceArn", int.MaxValue, SourceArnPattern(), @"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)");
        }

        if (request.SourceAccount is { } sourceAccount)
        {
            Check(sourceAccount, "sourceAccount", 12, AccountPattern(), @"\d{12}");
        }

        if (request.EventSourceToken is { } token)
        {
            Check(token, "eventSourceToken", 256, TokenPattern(), @"[a-zA-Z0-9._\-]+");
        }

        if (request.PrincipalOrgID is { } org)
        {
            if (org.Length < 12)
            {
                throw FunctionValidator.Validation(org, "principalOrgID", "Member must have length greater than or equal to 12");
            }

            Check(org, "principalOrgID", 34, OrganizationPattern(), "o-[a-z0-9]{10,32}");
        }

        if (request.FunctionUrlAuthType is { } authType && authType is not ("NONE" or "AWS_IAM"))
        {
            throw FunctionValidator.Validation(authType, "functionUrlAuthType", "Member must satisfy enum value set: [AWS_IAM, NONE]");
        }

        return new PolicyStatement
        {
            Sid = sid,
            Action = action,
            Principal = principal,
            Resource = "",
            SourceArn = request.SourceArn,
            SourceAccount = request.SourceAccount,
            PrincipalOrgId = request.PrincipalOrgID,
            EventSourceToken = request.EventSourceToken,
            FunctionUrlAuthType = request.FunctionUrlAuthType,
            InvokedViaFunctionUrl = request.InvokedViaFunctionUrl,
        };
    }

    internal static string Required(string? value, string member) =>
        value ?? throw FunctionValidator.Validation("null", member, "Member must not be null");

    internal static void Check(string value, string member, int maxLength, Regex pattern, string patternText)
    {
        if (value.Length == 0)
        {
            throw FunctionValidator.Validation(value, member, "Member must have length greater than or equal to 1");
        }

        if (value.Length > maxLength)
        {
            throw FunctionValidator.Validation(value, member, $"Member must have length less than or equal to {maxLength}");
        }

        if (!pattern.IsMatch(value))
        {
            throw FunctionValidator.Validation(value, member, $"Member must satisfy regular expression pattern: {patternText}");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9-_]+$")]
    internal static partial Regex StatementIdPattern();

    [GeneratedRegex("^[a-zA-Z0-9-_.]+$")]
    private static partial Regex NamespacedStatementIdPattern();

    [GeneratedRegex("^(lambda:[*]|lambda:[a-zA-Z]+|[*])$")]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"^[^\s]+$")]
    private static partial Regex PrincipalPattern();

    [GeneratedRegex(@"^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$")]
    private static partial Regex SourceArnPattern();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9._\-]+$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^o-[a-z0-9]{10,32}$")]
    internal static partial Regex OrganizationPattern();
}
