using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Errors;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class FunctionReferenceTests
{
    [Theory]
    [InlineData("my-fn", "my-fn", null)]
    [InlineData("my-fn:$LATEST", "my-fn", "$LATEST")]
    [InlineData("000000000000:function:my-fn", "my-fn", null)]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod", "my-fn", "prod")]
    public void Parse_AcceptsEveryFormLambdaAccepts(string raw, string name, string? qualifier) =>
        Assert.Equal(new FunctionReference(name, qualifier), FunctionReference.Parse(raw, "us-east-1", "000000000000"));

    [Fact]
    public void Parse_TooLongName_IsInvalidParameterValue_AsLambdaAnswersIt()
    {
        var error = Assert.Throws<LambdaServiceException>(() => FunctionReference.Parse(new string('a', 65), "us-east-1", "000000000000"));
        Assert.Equal(LambdaErrorType.InvalidParameterValueException, error.ErrorType);
        Assert.EndsWith("Member must have length less than or equal to 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherRegion_IsNotFound_WithLambdasMessage()
    {
        var error = Assert.Throws<LambdaServiceException>(() => FunctionReference.Parse("arn:aws:lambda:ap-southeast-1:000000000000:function:x", "us-east-1", "000000000000"));
        Assert.Equal(LambdaErrorType.ResourceNotFoundException, error.ErrorType);
        Assert.Equal("Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')", error.Message);
    }

    [Fact]
    public void Parse_OtherAccount_IsAccessDenied()
    {
        var error = Assert.Throws<LambdaServiceException>(() => FunctionReference.Parse("arn:aws:lambda:us-east-1:123456789012:function:x", "us-east-1", "000000000000"));
        Assert.Equal(LambdaErrorType.AccessDeniedException, error.ErrorType);
    }
}
