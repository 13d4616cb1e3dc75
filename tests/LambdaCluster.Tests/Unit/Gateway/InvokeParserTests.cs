using System.Text;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Urls;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Xunit;

namespace LambdaCluster.Tests.Unit.Gateway;

/// <summary>
/// The one front door every invocation passes (Invoke, InvokeWithResponseStream, function URLs): what it refuses, with
/// Lambda's error type and words, before anything runs, and the request it builds from what it accepts.
/// </summary>
[Trait("Category", "Unit")]
public sealed class InvokeParserTests
{
    private readonly InvokeParser _parser;

    public InvokeParserTests()
    {
        var node = Options.Create(new NodeOptions());
        _parser = new InvokeParser(new AliasRoutes(grains: null!, node, TimeProvider.System), node, TimeProvider.System); // no alias named: no grain asked
    }

    [Fact]
    public async Task Invoke_BuildsTheRequest_WithTheQualifiedArn_TheClientContext_AndTheTailOnlyWhenAsked()
    {
        var context = Convert.ToBase64String("""{"custom":{"k":"v"}}"""u8.ToArray());
        var http = Http("""{"a":1}""", ("X-Amz-Log-Type", "Tail"), ("X-Amz-Client-Context", context), ("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"));
        http.Request.QueryString = new QueryString("?Qualifier=7");

        var invoke = await _parser.ParseAsync(http, "f", InvokeOperation.Invoke);

        Assert.Equal(("f", "7", "7", "RequestResponse"), (invoke.FunctionName, invoke.Qualifier, invoke.Version, invoke.InvocationType));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:f:7", invoke.Request.InvokedFunctionArn);
        Assert.Equal("""{"custom":{"k":"v"}}""", invoke.Request.ClientContext);
        Assert.StartsWith("Root=1-5759e988-bd862e3fe1be46a994272793", invoke.Request.TraceId);
        Assert.True(invoke.Request.WantsLogTail);

        var queued = await _parser.ParseAsync(Http("{}", ("X-Amz-Invocation-Type", "Event"), ("X-Amz-Log-Type", "Tail")), "f", InvokeOperation.Invoke);
        Assert.False(queued.Request.WantsLogTail); // Lambda returns a tail only to a RequestResponse caller
    }

    [Fact]
    public async Task EmptyPayload_IsTheEmptyObject()
    {
        var invoke = await _parser.ParseAsync(Http(""), "f", InvokeOperation.InvokeWithResponseStream);

        Assert.Equal("{}", Encoding.UTF8.GetString(invoke.Request.Payload));
    }

    [Theory]
    [InlineData("Invoke", "X-Amz-Invocation-Type", "Async", "Value 'Async' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")]
    [InlineData("Stream", "X-Amz-Invocation-Type", "Event", "Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]")]
    [InlineData("Invoke", "X-Amz-Log-Type", "All", "Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]")]
    public async Task AnUnknownHeaderValue_IsAValidationException(string door, string header, string value, string message)
    {
        var e = await Assert.ThrowsAsync<LambdaServiceException>(() => _parser.ParseAsync(Http("{}", (header, value)), "f", Operation(door)));

        Assert.Equal(LambdaErrorType.ValidationException, e.ErrorType);
        Assert.Equal("1 validation error detected: " + message, e.Message);
    }

    [Theory]
    [InlineData("Invoke", "RequestResponse", 6 * 1024 * 1024, "Request must be smaller than 6291456 bytes for the InvokeFunction operation")]
    [InlineData("Invoke", "Event", 1024 * 1024, "Request must be smaller than 1048576 bytes for the InvokeFunction operation")]
    [InlineData("Stream", "RequestResponse", 6 * 1024 * 1024, "Request must be smaller than 6291456 bytes for the InvokeWithResponseStream operation")]
    public async Task APayloadOverTheTypesLimit_IsRequestTooLarge_AndOneAtTheLimitIsTaken(string door, string type, int limit, string message)
    {
        var atLimit = "\"" + new string('x', limit - 2) + "\"";
        var invoke = await _parser.ParseAsync(Http(atLimit, ("X-Amz-Invocation-Type", type)), "f", Operation(door));
        Assert.Equal(limit, invoke.Request.Payload.Length);

        var e = await Assert.ThrowsAsync<LambdaServiceException>(() => _parser.ParseAsync(Http(atLimit + " ", ("X-Amz-Invocation-Type", type)), "f", Operation(door)));
        Assert.Equal((LambdaErrorType.RequestTooLargeException, message), (e.ErrorType, e.Message));
    }

    [Theory]
    [InlineData("{\"a\":")]        // cut short
    [InlineData("{\"a\":1,}")]     // trailing comma
    [InlineData("/* c */ {}")]     // comment
    [InlineData("\u00ff\u00fe")]   // not UTF-8 JSON at all
    public async Task APayloadThatIsNotJson_IsInvalidRequestContent(string payload)
    {
        var e = await Assert.ThrowsAsync<LambdaServiceException>(() => _parser.ParseAsync(Http(payload), "f", InvokeOperation.Invoke));

        Assert.Equal(LambdaErrorType.InvalidRequestContentException, e.ErrorType);
        Assert.StartsWith("Could not parse request body into json: Could not parse payload into json:", e.Message);
    }

    [Fact]
    public async Task NestingDeeperThanTheLimit_IsRefused_NotAStackOverflow()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        var e = await Assert.ThrowsAsync<LambdaServiceException>(() => _parser.ParseAsync(Http(deep), "f", InvokeOperation.Invoke));

        Assert.Equal(LambdaErrorType.InvalidRequestContentException, e.ErrorType);
    }

    [Theory]
    [InlineData("not base64!", LambdaErrorType.InvalidRequestContentException)]
    [InlineData("bm90IGpzb24=", LambdaErrorType.InvalidRequestContentException)] // base64 of "not json"
    [InlineData(null, LambdaErrorType.InvalidParameterValueException)]           // longer than 3583 characters
    public async Task ABadClientContext_IsRefused(string? header, LambdaErrorType expected)
    {
        header ??= Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"k\":\"" + new string('x', 3000) + "\"}"));

        var e = await Assert.ThrowsAsync<LambdaServiceException>(() => _parser.ParseAsync(Http("{}", ("X-Amz-Client-Context", header)), "f", InvokeOperation.Invoke));

        Assert.Equal(expected, e.ErrorType);
    }

    [Fact]
    public async Task AQualifierInTheNameThatDisagreesWithTheQuery_IsRefused()
    {
        var http = Http("{}");
        http.Request.QueryString = new QueryString("?Qualifier=2");

        var e = await Assert.ThrowsAsync<LambdaServiceException>(() => _parser.ParseAsync(http, "f:1", InvokeOperation.Invoke));

        Assert.Equal(LambdaErrorType.InvalidParameterValueException, e.ErrorType);
    }

    [Fact]
    public async Task AFunctionUrl_InvokesItsFunctionAndQualifier_WithTheEventItWasGiven()
    {
        var url = new FunctionUrlSetting { UrlId = new string('a', 32), FunctionName = "web", Qualifier = "3", AuthType = "NONE", CreationTime = default, LastModifiedTime = default };

        var invoke = await _parser.ParseUrlAsync(Http("ignored"), url, """{"version":"2.0"}"""u8.ToArray());

        Assert.Equal(("web", "3", "RequestResponse"), (invoke.FunctionName, invoke.Version, invoke.InvocationType));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:web:3", invoke.Request.InvokedFunctionArn);
        Assert.Equal("""{"version":"2.0"}""", Encoding.UTF8.GetString(invoke.Request.Payload));
        Assert.False(invoke.Request.WantsLogTail);
    }

    private static InvokeOperation Operation(string door) => door == "Invoke" ? InvokeOperation.Invoke : InvokeOperation.InvokeWithResponseStream;

    private static DefaultHttpContext Http(string body, params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext { TraceIdentifier = "req-1" };
        http.Features.Set(new RequestBody(Encoding.Latin1.GetBytes(body)));
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        return http;
    }
}
