using System.IO.Compression;
using LambdaCluster.Runtimes.Code;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ZipPackageTests
{
    [Fact]
    public void Validate_NotAZip_IsRefusedWithLambdasMessage() =>
        Assert.Equal("Could not unzip uploaded file. Please check your file, then try to upload again.", ZipPackage.Validate("not a zip"u8.ToArray()));

    [Theory]
    [InlineData("../escape.py")]
    [InlineData("a/../../escape.py")]
    [InlineData("/etc/passwd")]
    public void Validate_EntryLeavingThePackage_IsRefused(string entryName) =>
        Assert.NotNull(ZipPackage.Validate(Zip(entryName)));

    [Fact]
    public void Extract_KeepsExecutableBit()
    {
        var directory = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        try
        {
            ZipPackage.Extract(Zip("bootstrap", unixMode: 0b111_101_101), directory);
            Assert.True((File.GetUnixFileMode(Path.Combine(directory, "bootstrap")) & UnixFileMode.UserExecute) != 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Zip(string entryName, int unixMode = 0b110_100_100)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry(entryName);
            entry.ExternalAttributes = unixMode << 16;
            using var writer = new StreamWriter(entry.Open());
            writer.Write("#!/bin/sh\n");
        }

        return stream.ToArray();
    }
}
