using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// Applies image layers onto a root folder, bottom first, as the OCI image spec's layer format says
/// (https://github.com/opencontainers/image-spec/blob/main/layer.md): files, folders, symbolic and hard links with their
/// modes and owners; <c>.wh.name</c> removes <c>name</c> from the layers below, <c>.wh..wh..opq</c> empties its folder.
/// Every path is resolved inside the root, its symbolic links included (a link to <c>/</c> means the root), so a layer
/// can write nothing outside it. Devices and FIFOs are skipped (the sandbox has its own /dev).
/// </summary>
internal static partial class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private const int MaxLinkHops = 40;

    /// <summary>A layer blob's tar stream: gzip-compressed or plain by its media type; zstd is refused (InvalidImage).</summary>
    public static Stream Decompressed(Stream blob, string mediaType) => mediaType switch
    {
        _ when mediaType.EndsWith("zstd", StringComparison.Ordinal) => throw new ImageException(ImageFailure.InvalidImage, $"Layers compressed with zstd ({mediaType}) are not supported."),
        _ when mediaType.EndsWith("gzip", StringComparison.Ordinal) || mediaType.Length == 0 => new GZipStream(blob, CompressionMode.Decompress),
        _ => blob,
    };

    /// <summary>
    /// Applies one layer's tar onto <paramref name="root"/>; returns the bytes of file content written. Over <paramref name="budget"/>
    /// bytes it stops (InvalidImage), as it does at a metadata entry over <see cref="TarMetadataGuard.MaxMetadataBytes"/>.
    /// </summary>
    public static long Apply(Stream tar, string root, long budget)
    {
        long written = 0;
        using var reader = new TarReader(new TarMetadataGuard(tar), leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            var parts = Split(entry.Name);
            if (parts.Count == 0)
            {
                continue; // the root itself
            }

            if (parts.Contains(".."))
            {
                throw new ImageException(ImageFailure.InvalidImage, $"The layer has an entry that climbs out of its folder: {entry.Name}");
            }

            var name = parts[^1];
            var parent = EnsureDirectory(root, parts[..^1]);
            if (name == OpaqueWhiteout)
            {
                foreach (var child in new DirectoryInfo(parent).EnumerateFileSystemInfos())
                {
                    Remove(child.FullName);
                }

                continue;
            }

            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var removed = name[WhiteoutPrefix.Length..];
                if (removed is "" or "." or "..")
                {
                    throw new ImageException(ImageFailure.InvalidImage, $"The layer has a whiteout of no file: {entry.Name}");
                }

                Remove(Path.Combine(parent, removed));
                continue;
            }

            var target = Path.Combine(parent, name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
                    {
                        Remove(target);
                        Directory.CreateDirectory(target);
                    }

                    Own(target, entry, follow: true);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    written += entry.Length;
                    if (written > budget)
                    {
                        throw new ImageException(ImageFailure.InvalidImage, $"The image is larger than the limit of {budget} bytes uncompressed.");
                    }

                    Remove(target);
                    using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    {
                        entry.DataStream?.CopyTo(file);
                    }

                    Own(target, entry, follow: true);
                    break;
                case TarEntryType.SymbolicLink:
                    Remove(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    Own(target, entry, follow: false);
                    break;
                case TarEntryType.HardLink:
                    var source = Resolve(root, Split(entry.LinkName));
                    Remove(target);
                    if (!File.Exists(source) || link(source, target) != 0)
                    {
                        throw new ImageException(ImageFailure.InvalidImage, $"The layer links {entry.Name} to {entry.LinkName}, which it does not have.");
                    }

                    break;
                default:
                    break; // devices, FIFOs: the sandbox makes its own /dev
            }
        }

        return written;
    }

    /// <summary>
    /// The folders Lambda's sandbox mounts over (they must exist in a read-only root): /proc, /dev, /tmp, /var/task, /opt,
    /// and the files it binds: /etc/passwd, /etc/group, /etc/hosts, /etc/resolv.conf.
    /// </summary>
    public static void PrepareMountPoints(string root)
    {
        foreach (var folder in new[] { "proc", "dev", "tmp", "etc", "var/task", "opt" })
        {
            EnsureDirectory(root, Split(folder));
        }

        foreach (var file in new[] { "etc/passwd", "etc/group", "etc/hosts", "etc/resolv.conf" })
        {
            var path = Resolve(root, Split(file));
            if (!File.Exists(path))
            {
                Remove(path);
                File.WriteAllText(path, "");
            }
        }
    }

    /// <summary>The path's components, without empty ones and "." (a leading "/" or "./" means the root); ".." is kept (an entry with one is refused; a link's is resolved).</summary>
    private static List<string> Split(string path) => [.. path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".")];

    /// <summary>The folder <paramref name="parts"/> names inside <paramref name="root"/>, links resolved inside it, made where missing.</summary>
    private static string EnsureDirectory(string root, IReadOnlyList<string> parts)
    {
        var path = Resolve(root, parts);
        if (!Directory.Exists(path))
        {
            Remove(path);
            Directory.CreateDirectory(path);
        }

        return path;
    }

    /// <summary>
    /// <paramref name="parts"/> resolved inside <paramref name="root"/> as a chroot would: ".." stops at the root, a symbolic
    /// link is followed with an absolute target meaning the root. The result is always under the root.
    /// </summary>
    private static string Resolve(string root, IReadOnlyList<string> parts)
    {
        var pending = new LinkedList<string>(parts);
        var current = root;
        var hops = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = current == root ? root : Path.GetDirectoryName(current)!;
                continue;
            }

            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } link)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new ImageException(ImageFailure.InvalidImage, "The image has a loop of symbolic links.");
                }

                if (link.StartsWith('/'))
                {
                    current = root;
                }

                foreach (var linked in Split(link).AsEnumerable().Reverse())
                {
                    pending.AddFirst(linked);
                }

                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Removes a file, link or folder (a link itself, never what it points to); nothing when there is none.</summary>
    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>The entry's mode and owner (the node runs as root; a failed chown is not fatal: the sandbox user reads by mode).</summary>
    private static void Own(string path, TarEntry entry, bool follow)
    {
        _ = lchown(path, entry.Uid, entry.Gid); // first: a chown clears the set-user-id bits a mode may carry
        if (follow)
        {
            File.SetUnixFileMode(path, entry.Mode);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldPath, string newPath);
}
