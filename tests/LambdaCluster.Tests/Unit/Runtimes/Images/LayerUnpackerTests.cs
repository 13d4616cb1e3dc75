using System.Formats.Tar;
using System.Text;
using LambdaCluster.Runtimes.Images;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Images;

/// <summary>OCI layers applied onto a root: whiteouts, links, modes, limits, and layers that try to write outside the root.</summary>
[Trait("Category", "Unit")]
public sealed class LayerUnpackerTests : IDisposable
{
    private readonly string _work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"layer-unpacker-{Guid.NewGuid():N}")).FullName;

    private string Root => Path.Combine(_work, "root");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Layers_ApplyInOrder_WithWhiteoutsOpaqueFoldersLinksAndModes()
    {
        Directory.CreateDirectory(Root);
        Apply(Layer(
            Dir("etc/"), File("etc/keep", "kept"), File("etc/gone", "removed above"),
            Dir("var/cache/"), File("var/cache/a", "a"), File("var/cache/b", "b"),
            File("bin/tool", "#!/bin/sh\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)));
        Apply(Layer(
            File("etc/.wh.gone", ""), File("var/cache/.wh..wh..opq", ""), File("var/cache/new", "new"),
            Symlink("bin/alias", "tool"), HardLink("bin/same", "bin/tool")));

        Assert.Equal("kept", System.IO.File.ReadAllText(Path.Combine(Root, "etc/keep")));
        Assert.False(System.IO.File.Exists(Path.Combine(Root, "etc/gone")));
        Assert.Equal(["new"], Directory.GetFiles(Path.Combine(Root, "var/cache")).Select(Path.GetFileName));
        Assert.Equal("tool", new FileInfo(Path.Combine(Root, "bin/alias")).LinkTarget);
        Assert.Equal("#!/bin/sh\n", System.IO.File.ReadAllText(Path.Combine(Root, "bin/same")));
        Assert.True((System.IO.File.GetUnixFileMode(Path.Combine(Root, "bin/tool")) & UnixFileMode.OtherExecute) != 0);
    }

    [Fact]
    public void HostilePaths_StayInsideTheRoot()
    {
        Directory.CreateDirectory(Root);
        var outside = Path.Combine(_work, "outside");
        Directory.CreateDirectory(outside);

        // A link to / then a file through it; a link to a folder outside; "..": all land inside the root.
        Apply(Layer(Symlink("escape", "/"), Symlink("up", "../../outside"), Dir("a/")));
        Apply(Layer(File("escape/etc/planted", "x"), File("up/planted", "x")));

        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.True(System.IO.File.Exists(Path.Combine(Root, "etc/planted"))); // "/" is the root
        Assert.True(System.IO.File.Exists(Path.Combine(Root, "outside/planted"))); // ".." of a link stops at the root

        // An entry naming ".." anywhere, or a whiteout of nothing, is refused before it touches anything.
        foreach (var hostile in new[] { File("../../outside/dots", "x"), File("a/../../../outside/dots2", "x"), File("a/..", "x"), Dir("../"), File("a/.wh...", ""), File("a/.wh..", "") })
        {
            var refused = Assert.Throws<ImageException>(() => Apply(Layer(hostile)));
            Assert.Equal(ImageFailure.InvalidImage, refused.Failure);
        }

        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.True(Directory.Exists(Path.Combine(Root, "a")));
        Assert.True(Directory.Exists(_work));
    }

    [Fact]
    public void AHardLinkToWhatTheImageDoesNotHave_OrALinkLoop_IsAnInvalidImage()
    {
        Directory.CreateDirectory(Root);
        var missing = Assert.Throws<ImageException>(() => Apply(Layer(HardLink("x", "etc/shadow"))));
        Assert.Equal(ImageFailure.InvalidImage, missing.Failure);
        var loop = Assert.Throws<ImageException>(() => Apply(Layer(Symlink("l1", "l2"), Symlink("l2", "l1"), File("l1/file", "x"))));
        Assert.Equal(ImageFailure.InvalidImage, loop.Failure);
    }

    [Fact]
    public void ALayerOverTheSizeLimit_IsAnInvalidImage()
    {
        Directory.CreateDirectory(Root);
        using var tar = Layer(File("big", new string('x', 2000)));
        var refused = Assert.Throws<ImageException>(() => LayerUnpacker.Apply(tar, Root, budget: 1000));
        Assert.Equal(ImageFailure.InvalidImage, refused.Failure);
        Assert.Throws<ImageException>(() => LayerUnpacker.Decompressed(Stream.Null, "application/vnd.oci.image.layer.v1.tar+zstd"));
    }

    [Theory]
    [InlineData('x')]
    [InlineData('g')]
    [InlineData('L')]
    [InlineData('K')]
    public void AMetadataEntryDeclaringAGigabyte_IsRefused_BeforeAnythingIsAllocatedForIt(char type)
    {
        // TarReader itself allocates the declared size of such an entry (1 GB here, from 512 bytes of input) before reading it.
        Directory.CreateDirectory(Root);
        using var tar = new MemoryStream([.. Header("huge", type, 1L << 30), .. new byte[4096]]);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var refused = Assert.Throws<ImageException>(() => LayerUnpacker.Apply(tar, Root, long.MaxValue));

        Assert.Equal(ImageFailure.InvalidImage, refused.Failure);
        Assert.Contains("metadata entry", refused.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 16 << 20);
    }

    [Fact]
    public void TheFramingFollowsPaxSizesAndLongNames_ToTheEntriesAfterThem()
    {
        // A PAX 'size' record gives the next file 1100 bytes though its header says 0, and a GNU long name precedes a file:
        // the oversized entry after them is still found where it starts. The sized file's data begins with what looks like
        // a header of a 1 MiB file, so a framing that ignored the record would skip past that entry.
        Directory.CreateDirectory(Root);
        var longName = new string('n', 150);
        byte[] sized = [.. Header("decoy", '0', 1 << 20), .. Enumerable.Repeat((byte)'a', 588)];
        byte[] layer =
        [
            .. Header("pax", 'x', 13), .. Padded("13 size=1100\n"u8),
            .. Header("sized", '0', 0), .. Padded(sized),
            .. Header("././@LongLink", 'L', longName.Length + 1), .. Padded([.. Encoding.UTF8.GetBytes(longName), 0]),
            .. Header("short", '0', 3), .. Padded("abc"u8),
            .. Header("huge", 'x', 1L << 30), .. new byte[4096],
        ];

        var refused = Assert.Throws<ImageException>(() => LayerUnpacker.Apply(new MemoryStream(layer), Root, long.MaxValue));

        Assert.Contains("metadata entry ('x') of 1073741824 bytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(sized, System.IO.File.ReadAllBytes(Path.Combine(Root, "sized")));
        Assert.Equal("abc", System.IO.File.ReadAllText(Path.Combine(Root, longName)));
    }

    [Fact]
    public void SizeFieldsReadTwoWays_AndAttributesAfterALongName_AreRefusedOrFramedAsTarReaderDoes()
    {
        Directory.CreateDirectory(Root);
        byte[] huge = [.. Header("huge", 'x', 1L << 30), .. new byte[4096]];

        // Read up to the first NUL, as TarReader reads it: a size of 0 here, so the next block is the oversized header.
        var leadingNul = Assert.Throws<ImageException>(() => LayerUnpacker.Apply(new MemoryStream([.. Header("f", '0', 0, "\00000004000\0"u8.ToArray()), .. huge]), Root, long.MaxValue));
        Assert.Contains("metadata entry", leadingNul.Message, StringComparison.Ordinal);

        // Not an octal number: refused, not guessed at.
        var garbled = Assert.Throws<ImageException>(() => LayerUnpacker.Apply(new MemoryStream([.. Header("g", '0', 0, "0000z000000\0"u8.ToArray()), .. huge]), Root, long.MaxValue));
        Assert.Equal(ImageFailure.InvalidImage, garbled.Failure);

        // PAX attributes after a GNU long name are an entry of their own to TarReader, not the next entry's size.
        byte[] afterLongName = [.. Header("././@LongLink", 'L', 2), .. Padded("a\0"u8), .. Header("pax", 'x', 13), .. Padded("13 size=1024\n"u8), .. Header("f", '0', 0), .. huge];
        var refused = Assert.Throws<ImageException>(() => LayerUnpacker.Apply(new MemoryStream(afterLongName), Root, long.MaxValue));
        Assert.Contains("after a GNU long name", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MountPoints_ArePrepared_ForTheSandboxsBinds()
    {
        Directory.CreateDirectory(Root);
        LayerUnpacker.PrepareMountPoints(Root);
        foreach (var folder in new[] { "proc", "dev", "tmp", "var/task", "opt" })
        {
            Assert.True(Directory.Exists(Path.Combine(Root, folder)), folder);
        }

        Assert.True(System.IO.File.Exists(Path.Combine(Root, "etc/passwd")));
        Assert.True(System.IO.File.Exists(Path.Combine(Root, "etc/resolv.conf")));
    }

    [Theory]
    [InlineData("127.0.0.1:5000/lambda/fn:v1", "127.0.0.1:5000", "lambda/fn", "v1", null)]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com/repo", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "repo", null, null)]
    [InlineData("registry:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "registry:5000", "a/b", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void ImageUris_Parse(string uri, string registry, string repository, string? tag, string? digest) =>
        Assert.Equal(new ImageReference(registry, repository, tag, digest), ImageReference.TryParse(uri, out var parsed) ? parsed : null);

    [Theory]
    [InlineData("not an image")]
    [InlineData("repo:tag")] // no registry
    [InlineData("127.0.0.1:5000/Repo:v1")] // upper case
    [InlineData("127.0.0.1:5000/repo:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")] // tag and digest, as Lambda refuses
    [InlineData("127.0.0.1:5000/repo@sha256:short")]
    [InlineData("127.0.0.1:5000/../etc:v1")]
    public void MalformedImageUris_AreRefused(string uri) => Assert.False(ImageReference.TryParse(uri, out _));

    private void Apply(Stream tar)
    {
        using (tar)
        {
            LayerUnpacker.Apply(tar, Root, long.MaxValue);
        }
    }

    private static MemoryStream Layer(params TarEntry[] entries)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A ustar header block (512 bytes) with a valid checksum.</summary>
    private static byte[] Header(string name, char type, long size, byte[]? sizeField = null)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        "0000644\0"u8.CopyTo(header.AsSpan(100));
        "0000000\0"u8.CopyTo(header.AsSpan(108));
        "0000000\0"u8.CopyTo(header.AsSpan(116));
        (sizeField ?? Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0")).CopyTo(header, 124);
        "00000000000\0"u8.CopyTo(header.AsSpan(136));
        header[156] = (byte)type;
        "ustar\000"u8.CopyTo(header.AsSpan(257));
        header.AsSpan(148, 8).Fill((byte)' ');
        Encoding.ASCII.GetBytes(Convert.ToString(header.Sum(b => b), 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    private static byte[] Padded(ReadOnlySpan<byte> data)
    {
        var padded = new byte[(data.Length + 511) / 512 * 512];
        data.CopyTo(padded);
        return padded;
    }

    private static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    private static PaxTarEntry File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = mode };

    private static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };
}
