using LambdaCluster.Gateway.Console;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Gateway.Streaming;
using LambdaCluster.Gateway.Logs;
using LambdaCluster.Gateway.Queues;
using LambdaCluster.Gateway.Schemas;
using LambdaCluster.Gateway.Streams;
using LambdaCluster.Gateway.Urls;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>Every route of the gateway on one screen.</summary>
    public static WebApplication MapLambdaGateway(this WebApplication app)
    {
        app.UseMiddleware<FunctionUrlMiddleware>(); // function URLs: before SigV4, they authenticate by their AuthType
        app.UseLambdaConsole(); // its static files: before SigV4 (the sign-in page), after function URLs (their hosts are theirs)
        app.UseMiddleware<GatewayRequestMiddleware>();
        var functions = app.Services.GetRequiredService<FunctionApi>();
        var invoke = app.Services.GetRequiredService<InvokeApi>();
        var invokeStream = app.Services.GetRequiredService<InvokeStreamApi>();
        var logs = app.Services.GetRequiredService<LogsApi>();
        var sqs = app.Services.GetRequiredService<SqsApi>();
        var kinesis = app.Services.GetRequiredService<KinesisApi>();
        var eventInvokeConfigs = app.Services.GetRequiredService<EventInvokeConfigApi>();
        var mappings = app.Services.GetRequiredService<EventSourceMappingApi>();
        var code = app.Services.GetRequiredService<CodeDownload>();
        var concurrency = app.Services.GetRequiredService<ConcurrencyApi>();
        var aliases = app.Services.GetRequiredService<AliasApi>();
        var layers = app.Services.GetRequiredService<LayerApi>();
        var urls = app.Services.GetRequiredService<FunctionUrlApi>();
        var policies = app.Services.GetRequiredService<PolicyApi>();
        var layerPolicies = app.Services.GetRequiredService<LayerPermissionApi>();
        var tags = app.Services.GetRequiredService<TagsApi>();
        var recursion = app.Services.GetRequiredService<RecursionConfigApi>();
        var runtimeManagement = app.Services.GetRequiredService<RuntimeManagementApi>();
        var codeSigning = app.Services.GetRequiredService<CodeSigningConfigApi>();
        var schemas = app.Services.GetRequiredService<SchemasApi>();
        var console = app.Services.GetRequiredService<ConsoleApi>();
        var s3Webhooks = app.Services.GetRequiredService<LambdaCluster.Gateway.S3.S3WebhookApi>();

        // S3 requests (signed for service s3) never reach these routes: the request middleware hands them to S3Api.
        app.MapPost($"{LambdaCluster.Gateway.S3.S3WebhookApi.PathPrefix}/{{id}}", (HttpContext http, string id) => s3Webhooks.HandleAsync(http, id));
        app.MapPost("/2015-03-31/functions", functions.CreateAsync);
        app.MapGet("/2015-03-31/functions", functions.ListAsync);
        app.MapGet("/2015-03-31/functions/{functionName}", (HttpContext http, string functionName) => functions.GetAsync(http, functionName));
        app.MapDelete("/2015-03-31/functions/{functionName}", (HttpContext http, string functionName) => functions.DeleteAsync(http, functionName));
        app.MapGet("/2015-03-31/functions/{functionName}/configuration", (HttpContext http, string functionName) => functions.GetConfigurationAsync(http, functionName));
        app.MapPut("/2015-03-31/functions/{functionName}/configuration", (HttpContext http, string functionName) => functions.UpdateConfigurationAsync(http, functionName));
        app.MapPut("/2015-03-31/functions/{functionName}/code", (HttpContext http, string functionName) => functions.UpdateCodeAsync(http, functionName));
        app.MapPost("/2015-03-31/functions/{functionName}/versions", (HttpContext http, string functionName) => functions.PublishVersionAsync(http, functionName));
        app.MapGet("/2015-03-31/functions/{functionName}/versions", (HttpContext http, string functionName) => functions.ListVersionsAsync(http, functionName));
        app.MapPost("/2015-03-31/functions/{functionName}/aliases", (HttpContext http, string functionName) => aliases.CreateAsync(http, functionName));
        app.MapGet("/2015-03-31/functions/{functionName}/aliases", (HttpContext http, string functionName) => aliases.ListAsync(http, functionName));
        app.MapGet("/2015-03-31/functions/{functionName}/aliases/{name}", (HttpContext http, string functionName, string name) => aliases.GetAsync(http, functionName, name));
        app.MapPut("/2015-03-31/functions/{functionName}/aliases/{name}", (HttpContext http, string functionName, string name) => aliases.UpdateAsync(http, functionName, name));
        app.MapDelete("/2015-03-31/functions/{functionName}/aliases/{name}", (HttpContext http, string functionName, string name) => aliases.DeleteAsync(http, functionName, name));
        app.MapGet("/2016-08-19/account-settings", functions.GetAccountSettingsAsync);
        app.MapPost("/2015-03-31/functions/{functionName}/policy", (HttpContext http, string functionName) => policies.AddPermissionAsync(http, functionName));
        app.MapGet("/2015-03-31/functions/{functionName}/policy", (HttpContext http, string functionName) => policies.GetPolicyAsync(http, functionName));
        app.MapDelete("/2015-03-31/functions/{functionName}/policy/{statementId}", (HttpContext http, string functionName, string statementId) => policies.RemovePermissionAsync(http, functionName, statementId));
        app.MapPost("/2017-03-31/tags/{resource}", (HttpContext http, string resource) => tags.TagAsync(http, resource));
        app.MapDelete("/2017-03-31/tags/{resource}", (HttpContext http, string resource) => tags.UntagAsync(http, resource));
        app.MapGet("/2017-03-31/tags/{resource}", (HttpContext http, string resource) => tags.ListAsync(http, resource));
        app.MapGet("/2024-08-31/functions/{functionName}/recursion-config", (HttpContext http, string functionName) => recursion.GetAsync(http, functionName));
        app.MapPut("/2024-08-31/functions/{functionName}/recursion-config", (HttpContext http, string functionName) => recursion.PutAsync(http, functionName));
        app.MapGet("/2021-07-20/functions/{functionName}/runtime-management-config", (HttpContext http, string functionName) => runtimeManagement.GetAsync(http, functionName));
        app.MapPut("/2021-07-20/functions/{functionName}/runtime-management-config", (HttpContext http, string functionName) => runtimeManagement.PutAsync(http, functionName));
        app.MapPost("/2020-04-22/code-signing-configs", codeSigning.CreateAsync);
        app.MapGet("/2020-04-22/code-signing-configs", codeSigning.ListAsync);
        app.MapGet("/2020-04-22/code-signing-configs/{arn}", (HttpContext http, string arn) => codeSigning.GetAsync(http, arn));
        app.MapPut("/2020-04-22/code-signing-configs/{arn}", (HttpContext http, string arn) => codeSigning.UpdateAsync(http, arn));
        app.MapDelete("/2020-04-22/code-signing-configs/{arn}", (HttpContext http, string arn) => codeSigning.DeleteAsync(http, arn));
        app.MapGet("/2020-04-22/code-signing-configs/{arn}/functions", (HttpContext http, string arn) => codeSigning.ListFunctionsAsync(http, arn));
        app.MapPut("/2020-06-30/functions/{functionName}/code-signing-config", (HttpContext http, string functionName) => codeSigning.PutFunctionAsync(http, functionName));
        app.MapGet("/2020-06-30/functions/{functionName}/code-signing-config", (HttpContext http, string functionName) => codeSigning.GetFunctionAsync(http, functionName));
        app.MapDelete("/2020-06-30/functions/{functionName}/code-signing-config", (HttpContext http, string functionName) => codeSigning.DeleteFunctionAsync(http, functionName));
        app.MapPost("/2021-10-31/functions/{functionName}/url", (HttpContext http, string functionName) => urls.CreateAsync(http, functionName));
        app.MapGet("/2021-10-31/functions/{functionName}/url", (HttpContext http, string functionName) => urls.GetAsync(http, functionName));
        app.MapPut("/2021-10-31/functions/{functionName}/url", (HttpContext http, string functionName) => urls.UpdateAsync(http, functionName));
        app.MapDelete("/2021-10-31/functions/{functionName}/url", (HttpContext http, string functionName) => urls.DeleteAsync(http, functionName));
        app.MapGet("/2021-10-31/functions/{functionName}/urls", (HttpContext http, string functionName) => urls.ListAsync(http, functionName));
        app.MapGet("/2018-10-31/layers", layers.GetLayersAsync);
        app.MapPost("/2018-10-31/layers/{layerName}/versions", (HttpContext http, string layerName) => layers.PublishAsync(http, layerName));
        app.MapGet("/2018-10-31/layers/{layerName}/versions", (HttpContext http, string layerName) => layers.ListVersionsAsync(http, layerName));
        app.MapGet("/2018-10-31/layers/{layerName}/versions/{versionNumber}", (HttpContext http, string layerName, string versionNumber) => layers.GetAsync(http, layerName, versionNumber));
        app.MapPost("/2018-10-31/layers/{layerName}/versions/{versionNumber}/policy", (HttpContext http, string layerName, string versionNumber) => layerPolicies.AddAsync(http, layerName, versionNumber));
        app.MapGet("/2018-10-31/layers/{layerName}/versions/{versionNumber}/policy", (HttpContext http, string layerName, string versionNumber) => layerPolicies.GetAsync(http, layerName, versionNumber));
        app.MapDelete("/2018-10-31/layers/{layerName}/versions/{versionNumber}/policy/{statementId}", (HttpContext http, string layerName, string versionNumber, string statementId) => layerPolicies.RemoveAsync(http, layerName, versionNumber, statementId));
        app.MapDelete("/2018-10-31/layers/{layerName}/versions/{versionNumber}", (HttpContext http, string layerName, string versionNumber) => layers.DeleteAsync(http, layerName, versionNumber));
        app.MapPut("/2017-10-31/functions/{functionName}/concurrency", (HttpContext http, string functionName) => concurrency.PutReservedAsync(http, functionName));
        app.MapGet("/2019-09-30/functions/{functionName}/concurrency", (HttpContext http, string functionName) => concurrency.GetReservedAsync(http, functionName));
        app.MapDelete("/2017-10-31/functions/{functionName}/concurrency", (HttpContext http, string functionName) => concurrency.DeleteReservedAsync(http, functionName));
        app.MapPut("/2019-09-30/functions/{functionName}/provisioned-concurrency", (HttpContext http, string functionName) => concurrency.PutProvisionedAsync(http, functionName));
        app.MapGet("/2019-09-30/functions/{functionName}/provisioned-concurrency", (HttpContext http, string functionName) => concurrency.GetProvisionedAsync(http, functionName));
        app.MapDelete("/2019-09-30/functions/{functionName}/provisioned-concurrency", (HttpContext http, string functionName) => concurrency.DeleteProvisionedAsync(http, functionName));
        app.MapPost("/2015-03-31/functions/{functionName}/invocations", (HttpContext http, string functionName) => invoke.InvokeAsync(http, functionName));
        app.MapPost("/2015-03-31/event-source-mappings", mappings.CreateAsync);
        app.MapGet("/2015-03-31/event-source-mappings", mappings.ListAsync);
        app.MapGet("/2015-03-31/event-source-mappings/{uuid}", (HttpContext http, string uuid) => mappings.GetAsync(http, uuid));
        app.MapPut("/2015-03-31/event-source-mappings/{uuid}", (HttpContext http, string uuid) => mappings.UpdateAsync(http, uuid));
        app.MapDelete("/2015-03-31/event-source-mappings/{uuid}", (HttpContext http, string uuid) => mappings.DeleteAsync(http, uuid));
        app.MapPut("/2019-09-25/functions/{functionName}/event-invoke-config", (HttpContext http, string functionName) => eventInvokeConfigs.PutAsync(http, functionName));
        app.MapPost("/2019-09-25/functions/{functionName}/event-invoke-config", (HttpContext http, string functionName) => eventInvokeConfigs.UpdateAsync(http, functionName));
        app.MapGet("/2019-09-25/functions/{functionName}/event-invoke-config", (HttpContext http, string functionName) => eventInvokeConfigs.GetAsync(http, functionName));
        app.MapDelete("/2019-09-25/functions/{functionName}/event-invoke-config", (HttpContext http, string functionName) => eventInvokeConfigs.DeleteAsync(http, functionName));
        app.MapGet("/2019-09-25/functions/{functionName}/event-invoke-config/list", (HttpContext http, string functionName) => eventInvokeConfigs.ListAsync(http, functionName));
        app.MapPost("/2021-11-15/functions/{functionName}/response-streaming-invocations", (HttpContext http, string functionName) => invokeStream.InvokeAsync(http, functionName));
        app.MapPost("/2014-11-13/functions/{functionName}/invoke-async", (HttpContext http, string functionName) => invoke.InvokeAsyncLegacy(http, functionName));
        // JSON-protocol services share the root path; X-Amz-Target says which. SDKs that use a queue's URL as their
        // endpoint post SQS calls to the queue's path.
        app.MapPost("/", (HttpContext http) => GatewayRequestMiddleware.ServiceOf(http.Request) switch
        {
            "sqs" => sqs.HandleAsync(http),
            "kinesis" => kinesis.HandleAsync(http),
            _ => logs.HandleAsync(http),
        });
        app.MapPost("/{account:regex(^\\d{{12}}$)}/{queue}", (HttpContext http) => sqs.HandleAsync(http));
        const string registry = SchemasApi.PathPrefix + "/name/{registryName}";
        app.MapPost(registry, (HttpContext http, string registryName) => schemas.CreateRegistryAsync(http, registryName));
        app.MapGet(registry, (HttpContext http, string registryName) => schemas.DescribeRegistryAsync(http, registryName));
        app.MapGet($"{registry}/schemas", (HttpContext http, string registryName) => schemas.ListSchemasAsync(http, registryName));
        app.MapPost($"{registry}/schemas/name/{{schemaName}}", (HttpContext http, string registryName, string schemaName) => schemas.CreateSchemaAsync(http, registryName, schemaName));
        app.MapGet($"{registry}/schemas/name/{{schemaName}}", (HttpContext http, string registryName, string schemaName) => schemas.DescribeSchemaAsync(http, registryName, schemaName));
        app.MapPut($"{registry}/schemas/name/{{schemaName}}", (HttpContext http, string registryName, string schemaName) => schemas.UpdateSchemaAsync(http, registryName, schemaName));
        app.MapDelete($"{registry}/schemas/name/{{schemaName}}", (HttpContext http, string registryName, string schemaName) => schemas.DeleteSchemaAsync(http, registryName, schemaName));
        app.MapGet($"{ConsoleApi.PathPrefix}/node", console.GetNodeAsync);
        app.MapGet($"{ConsoleApi.PathPrefix}/cluster", console.GetClusterAsync);
        app.MapGet($"{ConsoleApi.PathPrefix}/functions/{{functionName}}/metrics", (HttpContext http, string functionName) => console.GetMetricsAsync(http, functionName));
        app.MapGet($"{CodeDownload.PathPrefix}/{{sha256}}", (HttpContext http, string sha256) => code.ServeAsync(http, sha256));
        return app;
    }
}
