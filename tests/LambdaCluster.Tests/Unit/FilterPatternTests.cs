using LambdaCluster.Gateway.Logs;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class FilterPatternTests
{
    [Theory]
    [InlineData("", "anything", true)]
    [InlineData("area", "The area is 42", true)]
    [InlineData("area 42", "The area is 42", true)]
    [InlineData("area 43", "The area is 42", false)]
    [InlineData("\"area is\"", "The area is 42", true)]
    [InlineData("\"is area\"", "The area is 42", false)]
    [InlineData("area -42", "The area is 42", false)]
    [InlineData("?ERROR ?WARN", "WARN disk", true)]
    [InlineData("?ERROR ?WARN", "INFO fine", false)]
    [InlineData("Area", "The area is 42", false)]
    public void Matches_TermPatterns(string pattern, string message, bool expected) =>
        Assert.Equal(expected, FilterPattern.Parse(pattern).Matches(message));
}
