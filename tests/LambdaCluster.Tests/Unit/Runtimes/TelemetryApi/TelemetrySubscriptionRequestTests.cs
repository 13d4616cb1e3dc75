using System.Text;
using LambdaCluster.Runtimes.TelemetryApi;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.TelemetryApi;

/// <summary>Subscriptions as Lambda checks them (the Lambda guide's telemetry-api; the emulator's telemetry-subscription-schema.json).</summary>
[Trait("Category", "Unit")]
public sealed class TelemetrySubscriptionRequestTests
{
    private const string Destination = "\"destination\":{\"protocol\":\"HTTP\",\"URI\":\"http://sandbox.localdomain:4243/in\"}";

    [Fact]
    public void AValidSubscription_TakesItsTypesBufferingAndDestination()
    {
        var request = Parse($"{{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\",\"function\",\"platform\"],\"buffering\":{{\"maxItems\":1000,\"maxBytes\":262144,\"timeoutMs\":25}},{Destination}}}", out var error);
        Assert.Null(error);
        Assert.Equal(TelemetryCategories.Platform | TelemetryCategories.Function, request!.Categories);
        Assert.Equal(["platform", "function"], request.Types);
        Assert.Equal(new TelemetryBuffering(1000, 262144, 25), request.Buffering);
        Assert.Equal(new TelemetryDestination(true, 4243, "/in"), request.Destination);
    }

    [Fact]
    public void Defaults_AreLambdas_AndTheLogsApiNeedsNoSchemaVersion()
    {
        Assert.Equal(TelemetryBuffering.Default, Parse($"{{\"schemaVersion\":\"2022-07-01\",\"types\":[\"extension\"],{Destination}}}", out _)!.Buffering);
        Assert.Equal(TelemetryBuffering.LogsDefault, Parse($"{{\"types\":[\"platform\"],{Destination}}}", out _, logsApi: true)!.Buffering);
        Assert.Equal(new TelemetryDestination(false, 4244, ""), Parse("{\"schemaVersion\":\"2025-01-29\",\"types\":[\"function\"],\"destination\":{\"protocol\":\"TCP\",\"port\":4244}}", out _)!.Destination);
    }

    [Theory]
    [InlineData("not json", "Invalid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"types\":[\"platform\"]," + Destination + "}", "schemaVersion")]
    [InlineData("{\"schemaVersion\":\"2019-01-01\",\"types\":[\"platform\"]," + Destination + "}", "schemaVersion must be one of")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[]," + Destination + "}", "types must be a non-empty array")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\",\"metrics\"]," + Destination + "}", "\"metrics\" is not one of")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"buffering\":{\"maxItems\":999}," + Destination + "}", "buffering.maxItems must be an integer from 1000 to 10000")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"buffering\":{\"maxBytes\":2000000}," + Destination + "}", "buffering.maxBytes")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"buffering\":{\"timeoutMs\":\"100\"}," + Destination + "}", "buffering.timeoutMs")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"]}", "destination must be an object")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"destination\":{\"protocol\":\"HTTP\",\"URI\":\"http://169.254.169.254/latest\"}}", "host must be sandbox.localdomain")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"destination\":{\"protocol\":\"HTTP\",\"URI\":\"https://sandbox.localdomain:443\"}}", "http:// URI")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"destination\":{\"protocol\":\"TCP\",\"port\":70000}}", "destination.port")]
    [InlineData("{\"schemaVersion\":\"2022-12-13\",\"types\":[\"platform\"],\"destination\":{\"protocol\":\"UDP\",\"port\":53}}", "Only TCP and HTTP")]
    public void MalformedAndHostileSubscriptions_AreRefusedWithAReason(string body, string reason)
    {
        Assert.Null(Parse(body, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSandboxAddress_IsTheEnvironmentsOwn_AndItsHostsFileNamesIt()
    {
        Assert.Equal("127.1.165.191", SandboxAddress.For(42431).ToString());
        Assert.NotEqual(SandboxAddress.For(42431), SandboxAddress.For(42432));
        Assert.Equal("127.0.0.1 localhost\n127.1.165.191\tsandbox.localdomain sandbox\n", SandboxAddress.HostsFile("127.0.0.1 localhost\n\n", 42431));
    }

    private static TelemetrySubscriptionRequest? Parse(string body, out string? error, bool logsApi = false) =>
        TelemetrySubscriptionRequest.Parse(Encoding.UTF8.GetBytes(body), logsApi, out error);
}
