using LambdaCluster.Runtimes.Logs;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class PlatformLogLinesTests
{
    [Fact]
    public void Report_ColdStart_MatchesLambdaByteForByte() =>
        Assert.Equal(
            "REPORT RequestId: abc\tDuration: 2.75 ms\tBilled Duration: 117 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 113.51 ms\t",
            PlatformLogLines.Report("abc", 2.75, 128, 56, 113.51));

    [Fact]
    public void Report_Timeout_AddsStatus() =>
        Assert.Equal(
            "REPORT RequestId: abc\tDuration: 1000.12 ms\tBilled Duration: 1001 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tStatus: timeout\t",
            PlatformLogLines.Report("abc", 1000.12, 128, 20, null, "timeout"));

    [Fact]
    public void StartEndAndStreamName_AreLambdas()
    {
        Assert.Equal("START RequestId: r Version: $LATEST", PlatformLogLines.Start("r", "$LATEST"));
        Assert.Equal("END RequestId: r", PlatformLogLines.End("r"));
        Assert.Equal("2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c",
            PlatformLogLines.StreamName(new DateTimeOffset(2019, 6, 7, 23, 0, 0, TimeSpan.Zero), "$LATEST", "e6f4a0c4241adcd70c262d34c0bbc85c"));
    }

    [Fact]
    public void TaskTimedOut_UsesTwoDecimals() =>
        Assert.Equal("2024-01-02T03:04:05.678Z r Task timed out after 3.00 seconds",
            PlatformLogLines.TaskTimedOut(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), "r", 3));
}
