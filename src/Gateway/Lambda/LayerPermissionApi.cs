using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Layers;
using LambdaCluster.Grains.Permissions;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// A layer version's resource policy: AddLayerVersionPermission, GetLayerVersionPolicy, RemoveLayerVersionPermission
/// (<c>/2018-10-31/layers/{name}/versions/{n}/policy</c>). Action must be <c>lambda:GetLayerVersion</c>; Principal an
/// account id, <c>*</c> or an account's root ARN. The policy is kept and returned as Lambda does; this cluster has one
/// account, so it grants nothing more than that account already has.
/// </summary>
public sealed class LayerPermissionApi(IGrainFactory grains, LayerApi layers)
{
    /// <summary>201 <c>{"Statement": ..., "RevisionId": ...}</c>.</summary>
    public async Task AddAsync(HttpContext http, string layerName, string versionNumber)
    {
        var request = JsonBody.Read(http, LambdaJsonContext.Default.AddLayerVersionPermissionRequest);
        var (layer, version) = (layers.LayerName(layerName), LayerApi.VersionNumber(versionNumber));
        var sid = PolicyApi.Required(request.StatementId, "statementId");
        PolicyApi.Check(sid, "statementId", 100, PolicyApi.StatementIdPattern(), "([a-zA-Z0-9-_]+)");
        var action = PolicyApi.Required(request.Action, "action");
        if (action != "lambda:GetLayerVersion")
        {
            throw FunctionValidator.Validation(action, "action", "Member must satisfy regular expression pattern: lambda:GetLayerVersion");
        }

        var principal = PolicyApi.Required(request.Principal, "principal");
        if (!System.Text.RegularExpressions.Regex.IsMatch(principal, @"^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$"))
        {
            throw FunctionValidator.Validation(principal, "principal", @"Member must satisfy regular expression pattern: \d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root");
        }

        if (request.OrganizationId is { } org)
        {
            PolicyApi.Check(org, "organizationId", 34, PolicyApi.OrganizationPattern(), "o-[a-z0-9]{10,32}");
        }

        var statement = new PolicyStatement { Sid = sid, Action = action, Principal = principal, Resource = "", OrganizationId = request.OrganizationId };
        var (added, revision) = await grains.GetGrain<ILayerGrain>(layer).AddPermissionAsync(version, statement, http.Request.Query["RevisionId"].FirstOrDefault());
        await LambdaResults.WriteAsync(http, StatusCodes.Status201Created, new PermissionStatementResponse(PolicyDocument.Render(added), revision), LambdaJsonContext.Default.PermissionStatementResponse);
    }

    public async Task GetAsync(HttpContext http, string layerName, string versionNumber)
    {
        var policy = await grains.GetGrain<ILayerGrain>(layers.LayerName(layerName)).GetPolicyAsync(LayerApi.VersionNumber(versionNumber));
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, new PolicyResponse(PolicyDocument.Render(policy.Statements), policy.RevisionId), LambdaJsonContext.Default.PolicyResponse);
    }

    public async Task RemoveAsync(HttpContext http, string layerName, string versionNumber, string statementId)
    {
        PolicyApi.Check(statementId, "statementId", 100, PolicyApi.StatementIdPattern(), "([a-zA-Z0-9-_]+)");
        await grains.GetGrain<ILayerGrain>(layers.LayerName(layerName)).RemovePermissionAsync(LayerApi.VersionNumber(versionNumber), statementId, http.Request.Query["RevisionId"].FirstOrDefault());
        await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
    }
}
