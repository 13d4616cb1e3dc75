using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.S3;

/// <summary>
/// Buckets and objects as files under <see cref="S3Options.Directory"/>: one folder per bucket with its creation time
/// (<c>bucket.json</c>) and notification configuration (<c>notification.xml</c>), each object's metadata in
/// <c>objects/{sha256(key)}.json</c> and its bytes in a file that metadata names, multipart uploads under
/// <c>uploads/{id}</c>. A write lands its bytes first and then renames the metadata over the old one, so a reader sees
/// the old object or the new one, whole; objects are never held in memory beyond one request's body.
/// Writes and deletes of one key are serialized on this node (so no body file is orphaned and a delete never removes a
/// newer object); nodes sharing the folder can still race on one key, as concurrent writers to S3 race, last one wins.
/// Throws <see cref="S3Exception"/> with S3's codes.
/// </summary>
public sealed partial class ObjectStore(IOptions<S3Options> options, IOptions<NodeOptions> node, TimeProvider time)
{
    private readonly Lock[] _keyLocks = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    private string Root => Path.GetFullPath(options.Value.Directory ?? Path.Combine(node.Value.DataDirectory, "s3"));

    /// <summary>Buckets with their creation times, by name.</summary>
    public IReadOnlyList<(string Name, DateTimeOffset Created)> ListBuckets() =>
        !Directory.Exists(Root) ? []
        : [.. Directory.EnumerateDirectories(Root).Select(d => (Name: Path.GetFileName(d), File: Path.Combine(d, "bucket.json")))
            .Where(b => File.Exists(b.File))
            .Select(b => (b.Name, JsonSerializer.Deserialize(File.ReadAllText(b.File), S3JsonContext.Default.DateTimeOffset)))
            .OrderBy(b => b.Name, StringComparer.Ordinal)];

    /// <summary>Makes a bucket (BucketAlreadyOwnedByYou when it exists: this node has one owner).</summary>
    public void CreateBucket(string bucket)
    {
        CheckBucketName(bucket);
        var folder = Path.Combine(Root, bucket);
        if (File.Exists(Path.Combine(folder, "bucket.json")))
        {
            throw new S3Exception(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", bucket);
        }

        Directory.CreateDirectory(Path.Combine(folder, "objects"));
        WriteAtomically(Path.Combine(folder, "bucket.json"), JsonSerializer.SerializeToUtf8Bytes(time.GetUtcNow(), S3JsonContext.Default.DateTimeOffset));
    }

    /// <summary>Removes an empty bucket (BucketNotEmpty otherwise).</summary>
    public void DeleteBucket(string bucket)
    {
        var folder = BucketFolder(bucket);
        if (Directory.EnumerateFiles(Path.Combine(folder, "objects"), "*.json").Any())
        {
            throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", bucket);
        }

        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Throws NoSuchBucket unless the bucket exists.</summary>
    public void CheckBucket(string bucket) => BucketFolder(bucket);

    /// <summary>The bucket's notification configuration as stored (S3's XML), or null.</summary>
    public string? GetNotification(string bucket)
    {
        var file = Path.Combine(BucketFolder(bucket), "notification.xml");
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    public void PutNotification(string bucket, string xml) =>
        WriteAtomically(Path.Combine(BucketFolder(bucket), "notification.xml"), Encoding.UTF8.GetBytes(xml));

    /// <summary>Stores an object from <paramref name="body"/> (replacing one with its key) and returns its metadata.</summary>
    public StoredObject Put(string bucket, string key, byte[] body, string contentType, Dictionary<string, string> metadata) =>
        Commit(bucket, key, file => File.WriteAllBytes(file, body), $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", body.Length, contentType, metadata);

    /// <summary>An object's metadata (NoSuchKey when there is none).</summary>
    public StoredObject Head(string bucket, string key)
    {
        try
        {
            return Read(MetadataFile(bucket, key));
        }
        catch (FileNotFoundException)
        {
            throw S3Exception.NoSuchKey(key);
        }
    }

    /// <summary>An object's metadata and an open stream over its bytes (the caller disposes it).</summary>
    public (StoredObject Object, Stream Body) Open(string bucket, string key)
    {
        // The body file a metadata names may be replaced (and deleted) between the two reads: read again then.
        for (var attempt = 0; ; attempt++)
        {
            var stored = Head(bucket, key);
            try
            {
                return (stored, File.OpenRead(Path.Combine(BucketFolder(bucket), "objects", stored.BodyFile)));
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Deletes an object; true when there was one (S3 answers the same either way).</summary>
    public bool Delete(string bucket, string key)
    {
        var file = MetadataFile(bucket, key);
        lock (KeyLock(file))
        {
            StoredObject stored;
            try
            {
                stored = Read(file);
            }
            catch (FileNotFoundException)
            {
                return false;
            }

            File.Delete(file);
            File.Delete(Path.Combine(BucketFolder(bucket), "objects", stored.BodyFile));
            return true;
        }
    }

    /// <summary>Copies an object (its metadata too unless <paramref name="replaceMetadata"/> gives new ones).</summary>
    public StoredObject Copy(string sourceBucket, string sourceKey, string bucket, string key, (string ContentType, Dictionary<string, string> Metadata)? replaceMetadata)
    {
        var (source, body) = Open(sourceBucket, sourceKey);
        using (body)
        {
            var (contentType, metadata) = replaceMetadata ?? (source.ContentType, source.Metadata);
            return Commit(bucket, key, file => { using var target = File.Create(file); body.CopyTo(target); }, source.ETag, source.Size, contentType, metadata);
        }
    }

    /// <summary>Every object of the bucket whose key starts with <paramref name="prefix"/>, in key order (UTF-8 binary, as S3 lists).</summary>
    public List<StoredObject> List(string bucket, string prefix)
    {
        var objects = new List<StoredObject>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(BucketFolder(bucket), "objects"), "*.json"))
        {
            try
            {
                if (Read(file) is { } stored && stored.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    objects.Add(stored);
                }
            }
            catch (FileNotFoundException)
            {
                // Deleted while listing.
            }
        }

        objects.Sort((a, b) => CompareUtf8(a.Key, b.Key));
        return objects;
    }

    /// <summary>Starts a multipart upload; returns its id.</summary>
    public string CreateUpload(string bucket, string key, string contentType, Dictionary<string, string> metadata)
    {
        CheckKey(key);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var folder = Directory.CreateDirectory(Path.Combine(BucketFolder(bucket), "uploads", id)).FullName;
        File.WriteAllBytes(Path.Combine(folder, "upload.json"), JsonSerializer.SerializeToUtf8Bytes(new MultipartUpload(key, contentType, metadata, time.GetUtcNow()), S3JsonContext.Default.MultipartUpload));
        return id;
    }

    /// <summary>Stores one part (1-10000) of an upload; returns its ETag.</summary>
    public string PutPart(string bucket, string key, string uploadId, int partNumber, ReadOnlySpan<byte> body)
    {
        var (folder, _) = Upload(bucket, key, uploadId);
        if (partNumber is < 1 or > 10000)
        {
            throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
        }

        WriteAtomically(Path.Combine(folder, $"{partNumber:D5}.part"), body);
        return $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"";
    }

    /// <summary>
    /// Joins the listed parts (ascending part numbers, each ETag matching) into the object; its ETag is S3's: the MD5 of
    /// the parts' MD5s, a dash and the part count.
    /// </summary>
    public StoredObject CompleteUpload(string bucket, string key, string uploadId, IReadOnlyList<(int PartNumber, string ETag)> parts)
    {
        var (folder, upload) = Upload(bucket, key, uploadId);
        if (parts.Count == 0)
        {
            throw S3Exception.MalformedXml();
        }

        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].PartNumber <= parts[i - 1].PartNumber)
            {
                throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
            }
        }

        using var md5s = new MemoryStream();
        long size = 0;
        foreach (var (number, etag) in parts)
        {
            var file = Path.Combine(folder, $"{number:D5}.part");
            var actual = File.Exists(file) ? $"\"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(file)))}\"" : null;
            if (actual is null || actual != (etag.StartsWith('"') ? etag : $"\"{etag}\""))
            {
                throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.");
            }

            md5s.Write(Convert.FromHexString(actual.Trim('"')));
            size += new FileInfo(file).Length;
        }

        var etagOfParts = $"\"{Convert.ToHexStringLower(MD5.HashData(md5s.ToArray()))}-{parts.Count}\"";
        var stored = Commit(bucket, key, target =>
        {
            using var output = File.Create(target);
            foreach (var (number, _) in parts)
            {
                using var part = File.OpenRead(Path.Combine(folder, $"{number:D5}.part"));
                part.CopyTo(output);
            }
        }, etagOfParts, size, upload.ContentType, upload.Metadata);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Aborted while completing: the object is made all the same, as S3 may.
        }

        return stored;
    }

    /// <summary>Drops an upload and its parts.</summary>
    public void AbortUpload(string bucket, string key, string uploadId) => Directory.Delete(Upload(bucket, key, uploadId).Folder, recursive: true);

    private (string Folder, MultipartUpload Upload) Upload(string bucket, string key, string uploadId)
    {
        var folder = Path.Combine(BucketFolder(bucket), "uploads", UploadId().IsMatch(uploadId) ? uploadId : "-");
        var file = Path.Combine(folder, "upload.json");
        var upload = File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), S3JsonContext.Default.MultipartUpload) : null;
        return upload is not null && upload.Key == key
            ? (folder, upload)
            : throw new S3Exception(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", uploadId);
    }

    /// <summary>Writes a new body file with <paramref name="write"/>, then the metadata naming it over the old one, then drops the old body.</summary>
    private StoredObject Commit(string bucket, string key, Action<string> write, string etag, long size, string contentType, Dictionary<string, string> metadata)
    {
        CheckKey(key);
        var objects = Path.Combine(BucketFolder(bucket), "objects");
        var metadataFile = MetadataFile(bucket, key);
        var bodyFile = $"{Path.GetFileNameWithoutExtension(metadataFile)}.{Guid.NewGuid():N}";
        write(Path.Combine(objects, bodyFile)); // outside the lock: a large body does not hold up the key's other writers
        lock (KeyLock(metadataFile))
        {
            var previous = File.Exists(metadataFile) ? Read(metadataFile).BodyFile : null;
            var stored = new StoredObject(key, size, etag, TruncatedToSeconds(time.GetUtcNow()), contentType, metadata, bodyFile);
            WriteAtomically(metadataFile, JsonSerializer.SerializeToUtf8Bytes(stored, S3JsonContext.Default.StoredObject));
            if (previous is not null)
            {
                File.Delete(Path.Combine(objects, previous));
            }

            return stored;
        }
    }

    private Lock KeyLock(string metadataFile) => _keyLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(Path.GetFileName(metadataFile)) % _keyLocks.Length)];

    private static DateTimeOffset TruncatedToSeconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));

    private string BucketFolder(string bucket)
    {
        var folder = Path.Combine(Root, BucketName().IsMatch(bucket) ? bucket : "-");
        return File.Exists(Path.Combine(folder, "bucket.json")) ? folder : throw S3Exception.NoSuchBucket(bucket);
    }

    private string MetadataFile(string bucket, string key) =>
        Path.Combine(BucketFolder(bucket), "objects", $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}.json");

    private static StoredObject Read(string file) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(file), S3JsonContext.Default.StoredObject) ?? throw new InvalidDataException($"{file} is empty");

    private static void WriteAtomically(string file, ReadOnlySpan<byte> bytes)
    {
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, file, overwrite: true);
    }

    private static void CheckKey(string key)
    {
        if (key.Length == 0 || Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new S3Exception(400, "KeyTooLongError", "Your key is too long");
        }
    }

    /// <summary>S3's rules for a general purpose bucket's name: 3-63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit.</summary>
    private static void CheckBucketName(string bucket)
    {
        if (!BucketName().IsMatch(bucket) || bucket.Contains("..", StringComparison.Ordinal))
        {
            throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.", bucket);
        }
    }

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]\z")]
    private static partial Regex BucketName();

    [GeneratedRegex(@"\A[0-9a-f]{48}\z")]
    private static partial Regex UploadId();

    /// <summary>Orders strings by their UTF-8 bytes, as S3 orders keys.</summary>
    public static int CompareUtf8(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
