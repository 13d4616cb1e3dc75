using LambdaCluster.Runtimes.Telemetry;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics of every invocation (and Orleans' own) in Prometheus format at /metrics, and over OTLP with
    /// traces when <c>Telemetry:OtlpEndpoint</c> (or OTEL_EXPORTER_OTLP_ENDPOINT) is set. Without an OTLP
    /// endpoint no spans are recorded, so tracing costs the hot path nothing.
    /// </summary>
    public static IServiceCollection AddLambdaTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceInstance)
    {
        var otlp = configuration["Telemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("lambda-cluster", serviceInstanceId: serviceInstance))
            .WithMetrics(metrics =>
            {
                // ASP.NET Core's own meters, without the instrumentation package's per-request middleware.
                metrics.AddMeter(LambdaTelemetry.Name, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel").AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(LambdaTelemetry.Name, "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (new Uri(otlp), OtlpExportProtocol.Grpc)));
        }

        return services;
    }
}
