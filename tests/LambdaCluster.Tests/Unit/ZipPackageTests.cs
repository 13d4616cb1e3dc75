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
    public void Validate_SymbolicLink_IsRefused() =>
        Assert.NotNull(ZipPackage.Validate(Zip("link", unixMode: 0xA1FF)));

    [Fact]
    public void Validate_UnzippedSizeBeyondLambdasLimit_IsRefusedWithLambdasMessage() =>
        Assert.Equal($"Unzipped size must be smaller than {ZipPackage.MaxUnzippedBytes} bytes", ZipPackage.Validate(DeclaringSize(Zip("index.py"), 300_000_000)));

    [Fact]
    public void Extract_ZipBombLyingAboutItsSize_WritesNoMoreThanItDeclares()
    {
        // 4 MB of zeros that declare 10 bytes: Validate sees 10, and the extraction writes no more than that.
        var bomb = DeclaringSize(Zip("zeros.bin", content: new string('\0', 4 * 1024 * 1024)), 10);
        Assert.Null(ZipPackage.Validate(bomb));
        var directory = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        try
        {
            ZipPackage.Extract(bomb, directory);
            Assert.Equal(10, new FileInfo(Path.Combine(directory, "zeros.bin")).Length);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

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

    private static byte[] Zip(string entryName, int unixMode = 0b110_100_100, string content = "#!/bin/sh\n")
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry(entryName);
            entry.ExternalAttributes = unixMode << 16;
            using var writer = new StreamWriter(entry.Open());
            writer.Write(content);
        }

        return stream.ToArray();
    }

    /// <summary>The one-entry zip with its uncompressed size rewritten, in the local header and the central directory, to <paramref name="size"/>.</summary>
    private static byte[] DeclaringSize(byte[] zip, uint size)
    {
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            var signature = BitConverter.ToUInt32(zip, i);
            if (signature == 0x04034b50)
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22, 4), size);
            }
            else if (signature == 0x02014b50)
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), size);
            }
        }

        return zip;
    }
}
