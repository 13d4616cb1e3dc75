using System.IO.Compression;

namespace LambdaCluster.Runtimes.Code;

/// <summary>
/// Checks and unpacks deployment packages. Hostile archives are refused: entries that climb out of
/// the target folder, absolute paths, links, and archives whose unpacked size exceeds Lambda's limit.
/// </summary>
public static class ZipPackage
{
    /// <summary>Lambda's limit on the unzipped size of a function (including layers).</summary>
    public const long MaxUnzippedBytes = 262_144_000;

    /// <summary>Lambda's limit on a zip uploaded directly in the request.</summary>
    public const long MaxZippedBytes = 52_428_800;

    private const int MaxEntries = 100_000;

    /// <summary>Returns null when the archive is acceptable, or the reason (Lambda's wording) it is not.</summary>
    public static string? Validate(ReadOnlyMemory<byte> zip)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip.ToArray(), writable: false), ZipArchiveMode.Read);
            long total = 0;
            if (archive.Entries.Count > MaxEntries)
            {
                return "Could not unzip uploaded file. Please check your file, then try to upload again.";
            }

            foreach (var entry in archive.Entries)
            {
                if (!IsSafeEntryName(entry.FullName) || IsLink(entry))
                {
                    return "Could not unzip uploaded file. Please check your file, then try to upload again.";
                }

                total += entry.Length;
                if (total > MaxUnzippedBytes)
                {
                    return $"Unzipped size must be smaller than {MaxUnzippedBytes} bytes";
                }
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return "Could not unzip uploaded file. Please check your file, then try to upload again.";
        }
    }

    /// <summary>Unpacks a validated archive into <paramref name="directory"/>, keeping Unix permission bits.</summary>
    public static void Extract(byte[] zip, string directory)
    {
        Directory.CreateDirectory(directory);
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            if (!IsSafeEntryName(entry.FullName) || IsLink(entry))
            {
                throw new InvalidDataException($"Unsafe zip entry '{entry.FullName}'.");
            }

            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Zip entry '{entry.FullName}' escapes the package.");
            }

            if (entry.FullName.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: true); // .NET stops at the size the entry declares (a zip bomb's lie ends there)
            var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
            // Archives made without Unix attributes get Lambda's defaults: readable, and executable if it was marked so.
            File.SetUnixFileMode(target, mode == 0 ? (UnixFileMode)0b110_100_100 : mode | UnixFileMode.UserRead);
        }
    }

    private static bool IsSafeEntryName(string name) =>
        name.Length > 0
        && !name.StartsWith('/')
        && !name.Contains('\\')
        && !name.Contains('\0')
        && !name.Split('/').Any(part => part == "..");

    private static bool IsLink(ZipArchiveEntry entry) => ((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000;
}
