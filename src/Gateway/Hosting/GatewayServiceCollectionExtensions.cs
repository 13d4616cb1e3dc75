using LambdaCluster.Gateway.CodeSigning;
using LambdaCluster.Gateway.Auth;
using LambdaCluster.Gateway.Hosting;
using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Gateway.S3;
using LambdaCluster.Gateway.Queues;
using LambdaCluster.Gateway.Streams;
using LambdaCluster.Gateway.Streaming;
using LambdaCluster.Gateway.Logs;
using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Grains.Credentials;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Grains.Invocation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>The HTTP surface: SigV4, the Lambda, Logs, SQS and Kinesis APIs.</summary>
    public static IServiceCollection AddLambdaGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FunctionInvoker>();
        services.AddSingleton<SigV4Verifier>();
        services.AddOptions<StateEncryptionOptions>().Bind(configuration.GetSection(StateEncryptionOptions.Section));
        services.TryAddSingleton<StateKey>(); // a gateway-only node checks functions' session tokens with the cluster's key
        services.TryAddSingleton<FunctionCredentials>();
        services.AddSingleton<CodePackages>();
        services.AddOptions<CodeSigningOptions>().Bind(configuration.GetSection(CodeSigningOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CodeSigningOptions>, CodeSigningOptionsValidator>();
        services.AddSingleton<CodeVerifier>();
        services.AddSingleton<CodeDownload>();
        services.AddSingleton<VpcConfigs>();
        services.AddOptions<S3Options>().Bind(configuration.GetSection(S3Options.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3Options>, S3OptionsValidator>();
        services.AddSingleton<ObjectStore>();
        services.AddSingleton<BucketNotifications>();
        services.AddSingleton<S3Api>();
        services.AddSingleton<S3WebhookApi>();
        services.AddOptions<LambdaCluster.Runtimes.Images.ImageOptions>().Bind(configuration.GetSection(LambdaCluster.Runtimes.Images.ImageOptions.Section));
        services.TryAddSingleton<LambdaCluster.Runtimes.Images.RegistryClient>(); // CreateFunction pins an image's tag to its digest
        services.AddSingleton<ContainerImages>();
        services.AddSingleton<FunctionApi>();
        services.AddSingleton<InvokeApi>();
        services.AddSingleton<InvokeStreamApi>();
        services.AddSingleton<InvokeParser>();
        services.AddSingleton<SqsApi>();
        services.AddSingleton<KinesisApi>();
        services.AddSingleton<ConcurrencyApi>();
        services.AddSingleton<AliasApi>();
        services.AddSingleton<AliasRoutes>();
        services.AddSingleton<LayerApi>();
        services.AddSingleton<LayerPermissionApi>();
        services.AddSingleton<PolicyApi>();
        services.AddSingleton<TagsApi>();
        services.AddSingleton<RecursionConfigApi>();
        services.AddSingleton<RuntimeManagementApi>();
        services.AddSingleton<CodeSigningConfigApi>();
        services.AddSingleton<LayerReferences>();
        services.AddSingleton<FunctionUrlApi>();
        services.AddSingleton<LogsApi>();
        services.AddSingleton<EventInvokeConfigApi>();
        services.AddSingleton<EventSourceMappingApi>();
        services.AddSingleton<LambdaCluster.Gateway.Schemas.SchemasApi>();
        services.AddSingleton<LambdaCluster.Gateway.Console.ConsoleApi>();
        services.AddOptions<LambdaCluster.Gateway.Console.ConsoleOptions>().Bind(configuration.GetSection(LambdaCluster.Gateway.Console.ConsoleOptions.Section));
        services.TryAddSingleton<AsyncInvocations>();
        return services;
    }
}
