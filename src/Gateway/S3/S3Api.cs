using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.S3;

/// <summary>
/// A small S3-compatible object API on the gateway's endpoint (path-style requests signed for service <c>s3</c>, as the
/// aws CLI and SDKs send them to a custom endpoint; https://docs.aws.amazon.com/AmazonS3/latest/API/): buckets
/// (CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation), objects (PutObject, GetObject with ranges,
/// HeadObject, DeleteObject, DeleteObjects, CopyObject, ListObjectsV2), multipart uploads (Create, UploadPart, Complete,
/// Abort), and the bucket notification configuration that sends object events to functions (<see cref="BucketNotifications"/>).
/// Presigned URLs are checked by the SigV4 verifier. A single request carries at most the gateway's body limit (about
/// 70 MB); larger objects go in parts, as <c>aws s3 cp</c> sends them above 8 MB.
/// </summary>
public sealed class S3Api(ObjectStore store, BucketNotifications notifications, IOptions<NodeOptions> node)
{
    private const string DefaultContentType = "binary/octet-stream";

    /// <summary>Serves one S3 request; errors become S3's XML errors.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.ContentLength == 0 && http.Request.Headers.Expect == "100-continue")
        {
            // botocore asks to continue even for an empty body; Kestrel sends no 100 for a body it need not read, and the
            // connection then stalls botocore's next request with a body: answered, and closed, rather than reused.
            http.Response.Headers.Connection = "close";
        }

        try
        {
            await DispatchAsync(http);
        }
        catch (S3Exception e) when (!http.Response.HasStarted)
        {
            await S3Xml.WriteErrorAsync(http, e.Status, e.Code, e.Message, e.Resource);
        }
        catch (XmlException) when (!http.Response.HasStarted)
        {
            await S3Xml.WriteErrorAsync(http, 400, "MalformedXML", S3Exception.MalformedXml().Message);
        }
    }

    private Task DispatchAsync(HttpContext http)
    {
        var (bucket, key) = Target(http);
        var query = http.Request.Query;
        var method = http.Request.Method;
        if (bucket.Length == 0)
        {
            return HttpMethods.IsGet(method) ? ListBucketsAsync(http) : throw NotImplemented();
        }

        if (key.Length == 0)
        {
            return (method, query) switch
            {
                ("PUT", _) when query.ContainsKey("notification") => PutNotificationAsync(http, bucket),
                ("GET", _) when query.ContainsKey("notification") => GetNotificationAsync(http, bucket),
                ("GET", _) when query.ContainsKey("location") => GetLocationAsync(http, bucket),
                ("POST", _) when query.ContainsKey("delete") => DeleteObjectsAsync(http, bucket),
                (_, _) when query.Keys.Any(k => !IsSigningOrCall(k) && k is not ("list-type" or "prefix" or "delimiter" or "max-keys" or "continuation-token" or "start-after" or "encoding-type" or "fetch-owner")) => throw NotImplemented(),
                ("PUT", _) => CreateBucketAsync(http, bucket),
                ("DELETE", _) => DeleteBucketAsync(http, bucket),
                ("HEAD", _) => HeadBucketAsync(http, bucket),
                ("GET", _) => ListObjectsAsync(http, bucket),
                _ => throw NotImplemented(),
            };
        }

        return method switch
        {
            "POST" when query.ContainsKey("uploads") => CreateUploadAsync(http, bucket, key),
            "PUT" when query.ContainsKey("uploadId") => UploadPartAsync(http, bucket, key),
            "POST" when query.ContainsKey("uploadId") => CompleteUploadAsync(http, bucket, key),
            "DELETE" when query.ContainsKey("uploadId") => AbortUploadAsync(http, bucket, key),
            _ when query.Keys.Any(k => !IsSigningOrCall(k)) => throw NotImplemented(),
            "PUT" when http.Request.Headers.ContainsKey("x-amz-copy-source") => CopyObjectAsync(http, bucket, key),
            "PUT" => PutObjectAsync(http, bucket, key),
            "GET" or "HEAD" => GetObjectAsync(http, bucket, key),
            "DELETE" => DeleteObjectAsync(http, bucket, key),
            _ => throw NotImplemented(),
        };
    }

    private Task ListBucketsAsync(HttpContext http) => S3Xml.WriteAsync(http, 200, "ListAllMyBucketsResult", xml =>
    {
        WriteOwner(xml);
        xml.WriteStartElement("Buckets");
        foreach (var (name, created) in store.ListBuckets())
        {
            xml.WriteStartElement("Bucket");
            xml.WriteElementString("Name", name);
            xml.WriteElementString("CreationDate", S3Xml.Timestamp(created));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    });

    private Task CreateBucketAsync(HttpContext http, string bucket)
    {
        store.CreateBucket(bucket);
        http.Response.Headers.Location = $"/{bucket}";
        return Empty(http, 200);
    }

    private Task DeleteBucketAsync(HttpContext http, string bucket)
    {
        store.DeleteBucket(bucket);
        return Empty(http, 204);
    }

    private Task HeadBucketAsync(HttpContext http, string bucket)
    {
        store.CheckBucket(bucket);
        http.Response.Headers["x-amz-bucket-region"] = node.Value.Region;
        return Empty(http, 200);
    }

    private Task GetLocationAsync(HttpContext http, string bucket)
    {
        store.CheckBucket(bucket);
        return S3Xml.WriteAsync(http, 200, "LocationConstraint", xml => xml.WriteString(node.Value.Region == "us-east-1" ? "" : node.Value.Region));
    }

    private async Task PutNotificationAsync(HttpContext http, string bucket)
    {
        store.CheckBucket(bucket);
        var configuration = await notifications.ParseAsync(bucket, http.Body());
        store.PutNotification(bucket, configuration.ToString(SaveOptions.DisableFormatting));
        await Empty(http, 200);
    }

    private Task GetNotificationAsync(HttpContext http, string bucket) =>
        store.GetNotification(bucket) is { } stored
            ? S3Xml.WriteAsync(http, 200, "NotificationConfiguration", xml =>
            {
                foreach (var element in XElement.Parse(stored).Elements())
                {
                    element.WriteTo(xml);
                }
            })
            : S3Xml.WriteAsync(http, 200, "NotificationConfiguration", _ => { });

    private async Task PutObjectAsync(HttpContext http, string bucket, string key)
    {
        var stored = store.Put(bucket, key, http.Body(), ContentTypeOf(http.Request), MetadataOf(http.Request));
        http.Response.Headers.ETag = stored.ETag;
        await notifications.PublishAsync(bucket, stored, "ObjectCreated:Put", http);
        await Empty(http, 200);
    }

    private async Task GetObjectAsync(HttpContext http, string bucket, string key)
    {
        var (stored, body) = store.Open(bucket, key);
        await using (body)
        {
            var headers = http.Response.Headers;
            headers.ETag = stored.ETag;
            headers.LastModified = stored.LastModified.ToString("R", CultureInfo.InvariantCulture);
            headers.AcceptRanges = "bytes";
            headers.ContentType = stored.ContentType;
            foreach (var (name, value) in stored.Metadata)
            {
                headers[$"x-amz-meta-{name}"] = value;
            }

            foreach (var (parameter, header) in ResponseOverrides)
            {
                if (http.Request.Query[parameter].ToString() is { Length: > 0 } value)
                {
                    headers[header] = value; // a presigned URL's response-content-disposition and the like
                }
            }

            var (start, length) = (0L, stored.Size);
            if (http.Request.Headers.Range.ToString() is { Length: > 0 } range)
            {
                (start, length) = Range(range, stored.Size);
                http.Response.StatusCode = 206;
                headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + length - 1}/{stored.Size}");
            }

            http.Response.ContentLength = length;
            if (HttpMethods.IsHead(http.Request.Method))
            {
                return;
            }

            body.Seek(start, SeekOrigin.Begin);
            await CopyAsync(body, http.Response.Body, length, http.RequestAborted);
        }
    }

    private async Task DeleteObjectAsync(HttpContext http, string bucket, string key)
    {
        if (store.Delete(bucket, key))
        {
            await notifications.PublishAsync(bucket, new StoredObject(key, 0, "", DateTimeOffset.MinValue, "", [], ""), "ObjectRemoved:Delete", http);
        }

        await Empty(http, 204);
    }

    private async Task DeleteObjectsAsync(HttpContext http, string bucket)
    {
        store.CheckBucket(bucket);
        var request = S3Xml.Parse(http.Body());
        var keys = request.Elements().Where(e => e.Name.LocalName == "Object").Select(o => o.Elements().FirstOrDefault(e => e.Name.LocalName == "Key")?.Value ?? throw S3Exception.MalformedXml()).ToList();
        if (keys.Count is 0 or > 1000)
        {
            throw S3Exception.MalformedXml();
        }

        var quiet = request.Elements().Any(e => e.Name.LocalName == "Quiet" && e.Value == "true");
        foreach (var key in keys)
        {
            if (store.Delete(bucket, key))
            {
                await notifications.PublishAsync(bucket, new StoredObject(key, 0, "", DateTimeOffset.MinValue, "", [], ""), "ObjectRemoved:Delete", http);
            }
        }

        await S3Xml.WriteAsync(http, 200, "DeleteResult", xml =>
        {
            foreach (var key in quiet ? [] : keys)
            {
                xml.WriteStartElement("Deleted");
                xml.WriteElementString("Key", key);
                xml.WriteEndElement();
            }
        });
    }

    private async Task CopyObjectAsync(HttpContext http, string bucket, string key)
    {
        var (sourceBucket, sourceKey) = CopySource(http.Request);
        var replace = http.Request.Headers["x-amz-metadata-directive"] == "REPLACE" ? (ContentTypeOf(http.Request), MetadataOf(http.Request)) : ((string, Dictionary<string, string>)?)null;
        var stored = store.Copy(sourceBucket, sourceKey, bucket, key, replace);
        await notifications.PublishAsync(bucket, stored, "ObjectCreated:Copy", http);
        await S3Xml.WriteAsync(http, 200, "CopyObjectResult", xml =>
        {
            xml.WriteElementString("LastModified", S3Xml.Timestamp(stored.LastModified));
            xml.WriteElementString("ETag", stored.ETag);
        });
    }

    private Task ListObjectsAsync(HttpContext http, string bucket)
    {
        // ListObjectsV2 (list-type=2): keys after the continuation token (or StartAfter) under Prefix, those sharing a
        // Prefix..Delimiter run rolled into one CommonPrefix, at most MaxKeys entries of either.
        var query = http.Request.Query;
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var urlEncoded = query["encoding-type"] == "url";
        var maxKeys = query.TryGetValue("max-keys", out var max) ? int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? Math.Min(parsed, 1000) : throw S3Exception.InvalidArgument("Provided max-keys not an integer or within integer range") : 1000;
        var token = query["continuation-token"].ToString();
        var after = token.Length > 0 ? ContinuationKey(token) : query["start-after"].ToString();
        var contents = new List<StoredObject>();
        var commonPrefixes = new List<string>();
        string? last = null;
        var truncated = false;
        foreach (var stored in store.List(bucket, prefix))
        {
            var rolled = delimiter.Length > 0 && stored.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) is var at and >= 0 ? stored.Key[..(at + delimiter.Length)] : null;
            var position = rolled ?? stored.Key;
            if (ObjectStore.CompareUtf8(position, after) <= 0 || (rolled is not null && rolled == commonPrefixes.LastOrDefault()))
            {
                continue;
            }

            if (contents.Count + commonPrefixes.Count == maxKeys)
            {
                truncated = true;
                break;
            }

            if (rolled is not null)
            {
                commonPrefixes.Add(rolled);
            }
            else
            {
                contents.Add(stored);
            }

            last = position;
        }

        string Encoded(string value) => urlEncoded ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;
        return S3Xml.WriteAsync(http, 200, "ListBucketResult", xml =>
        {
            xml.WriteElementString("Name", bucket);
            xml.WriteElementString("Prefix", Encoded(prefix));
            if (delimiter.Length > 0)
            {
                xml.WriteElementString("Delimiter", Encoded(delimiter));
            }

            xml.WriteElementString("MaxKeys", maxKeys.ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("KeyCount", (contents.Count + commonPrefixes.Count).ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("IsTruncated", truncated ? "true" : "false");
            if (urlEncoded)
            {
                xml.WriteElementString("EncodingType", "url");
            }

            if (token.Length > 0)
            {
                xml.WriteElementString("ContinuationToken", token);
            }

            if (truncated && last is not null)
            {
                xml.WriteElementString("NextContinuationToken", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(last)));
            }

            foreach (var stored in contents)
            {
                xml.WriteStartElement("Contents");
                xml.WriteElementString("Key", Encoded(stored.Key));
                xml.WriteElementString("LastModified", S3Xml.Timestamp(stored.LastModified));
                xml.WriteElementString("ETag", stored.ETag);
                xml.WriteElementString("Size", stored.Size.ToString(CultureInfo.InvariantCulture));
                xml.WriteElementString("StorageClass", "STANDARD");
                xml.WriteEndElement();
            }

            foreach (var common in commonPrefixes)
            {
                xml.WriteStartElement("CommonPrefixes");
                xml.WriteElementString("Prefix", Encoded(common));
                xml.WriteEndElement();
            }
        });
    }

    private Task CreateUploadAsync(HttpContext http, string bucket, string key)
    {
        var id = store.CreateUpload(bucket, key, ContentTypeOf(http.Request), MetadataOf(http.Request));
        return S3Xml.WriteAsync(http, 200, "InitiateMultipartUploadResult", xml =>
        {
            xml.WriteElementString("Bucket", bucket);
            xml.WriteElementString("Key", key);
            xml.WriteElementString("UploadId", id);
        });
    }

    private async Task UploadPartAsync(HttpContext http, string bucket, string key)
    {
        if (!int.TryParse(http.Request.Query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
        }

        var uploadId = http.Request.Query["uploadId"].ToString();
        if (!http.Request.Headers.ContainsKey("x-amz-copy-source"))
        {
            http.Response.Headers.ETag = store.PutPart(bucket, key, uploadId, number, http.Body());
            await Empty(http, 200);
            return;
        }

        // UploadPartCopy (aws s3 cp between buckets, above 8 MB): the part is a range of an existing object.
        var (sourceBucket, sourceKey) = CopySource(http.Request);
        var (source, body) = store.Open(sourceBucket, sourceKey);
        byte[] part;
        await using (body)
        {
            var (start, length) = http.Request.Headers["x-amz-copy-source-range"].ToString() is { Length: > 0 } range ? Range(range, source.Size) : (0, source.Size);
            if (length > MaxCopyPartBytes)
            {
                throw S3Exception.InvalidArgument($"A copied part must be at most {MaxCopyPartBytes} bytes here.");
            }

            part = new byte[length];
            body.Seek(start, SeekOrigin.Begin);
            await body.ReadExactlyAsync(part, http.RequestAborted);
        }

        var etag = store.PutPart(bucket, key, uploadId, number, part);
        await S3Xml.WriteAsync(http, 200, "CopyPartResult", xml =>
        {
            xml.WriteElementString("LastModified", S3Xml.Timestamp(source.LastModified));
            xml.WriteElementString("ETag", etag);
        });
    }

    /// <summary>Most bytes one UploadPartCopy copies (held in memory while it does).</summary>
    private const long MaxCopyPartBytes = 100L * 1024 * 1024;

    private static (string Bucket, string Key) CopySource(HttpRequest request)
    {
        var source = Uri.UnescapeDataString(request.Headers["x-amz-copy-source"].ToString().Split('?')[0].TrimStart('/'));
        var slash = source.IndexOf('/');
        return slash <= 0 || slash == source.Length - 1
            ? throw S3Exception.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
            : (source[..slash], source[(slash + 1)..]);
    }

    private async Task CompleteUploadAsync(HttpContext http, string bucket, string key)
    {
        var request = S3Xml.Parse(http.Body());
        var parts = request.Elements().Where(e => e.Name.LocalName == "Part").Select(part =>
        {
            var number = part.Elements().FirstOrDefault(e => e.Name.LocalName == "PartNumber")?.Value;
            var etag = part.Elements().FirstOrDefault(e => e.Name.LocalName == "ETag")?.Value;
            return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && etag is not null ? (n, etag) : throw S3Exception.MalformedXml();
        }).ToList();
        var stored = store.CompleteUpload(bucket, key, http.Request.Query["uploadId"].ToString(), parts);
        await notifications.PublishAsync(bucket, stored, "ObjectCreated:CompleteMultipartUpload", http);
        await S3Xml.WriteAsync(http, 200, "CompleteMultipartUploadResult", xml =>
        {
            xml.WriteElementString("Location", $"/{bucket}/{key}");
            xml.WriteElementString("Bucket", bucket);
            xml.WriteElementString("Key", key);
            xml.WriteElementString("ETag", stored.ETag);
        });
    }

    private Task AbortUploadAsync(HttpContext http, string bucket, string key)
    {
        store.AbortUpload(bucket, key, http.Request.Query["uploadId"].ToString());
        return Empty(http, 204);
    }

    /// <summary>The bucket and key of a path-style request, percent-decoded from the path as sent.</summary>
    private static (string Bucket, string Key) Target(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        var path = raw.Split('?')[0].TrimStart('/');
        var slash = path.IndexOf('/');
        return slash < 0 ? (Uri.UnescapeDataString(path), "") : (Uri.UnescapeDataString(path[..slash]), Uri.UnescapeDataString(path[(slash + 1)..]));
    }

    /// <summary>GetObject's response-* parameters and the headers they set.</summary>
    private static readonly (string Parameter, string Header)[] ResponseOverrides =
    [
        ("response-content-type", "Content-Type"), ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"),
        ("response-content-language", "Content-Language"), ("response-cache-control", "Cache-Control"), ("response-expires", "Expires"),
    ];

    /// <summary>A presigned URL's signing parameters, the SDKs' x-id (the operation's name) and GetObject's response overrides: not subresources.</summary>
    private static bool IsSigningOrCall(string parameter) =>
        parameter is "AWSAccessKeyId" or "Signature" or "Expires" or "x-id" || parameter.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)
        || parameter.StartsWith("response-", StringComparison.Ordinal);

    private static string ContentTypeOf(HttpRequest request) => request.ContentType is { Length: > 0 } type ? type : DefaultContentType;

    private static Dictionary<string, string> MetadataOf(HttpRequest request) =>
        request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key["x-amz-meta-".Length..].ToLowerInvariant(), h => h.Value.ToString());

    /// <summary>One range of S3's Range header (bytes=a-b, bytes=a-, bytes=-n) as start and length; InvalidRange outside the object.</summary>
    private static (long Start, long Length) Range(string header, long size)
    {
        var spec = header.StartsWith("bytes=", StringComparison.Ordinal) ? header[6..] : "";
        var dash = spec.IndexOf('-');
        if (dash >= 0 && !spec.Contains(','))
        {
            var (first, last) = (spec[..dash], spec[(dash + 1)..]);
            if (first.Length == 0 && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0 && size > 0)
            {
                var length = Math.Min(suffix, size);
                return (size - length, length);
            }

            if (long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start < size)
            {
                var end = last.Length == 0 ? size - 1 : long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e >= start ? Math.Min(e, size - 1) : -1;
                if (end >= start)
                {
                    return (start, end - start + 1);
                }
            }
        }

        throw new S3Exception(416, "InvalidRange", "The requested range is not satisfiable");
    }

    private static string ContinuationKey(string token)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw S3Exception.InvalidArgument("The continuation token provided is incorrect");
        }
    }

    private static async Task CopyAsync(Stream source, Stream target, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }

    private static void WriteOwner(XmlWriter xml)
    {
        xml.WriteStartElement("Owner");
        xml.WriteElementString("ID", "lambda-cluster");
        xml.WriteElementString("DisplayName", "lambda-cluster");
        xml.WriteEndElement();
    }

    private static Task Empty(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static S3Exception NotImplemented() => new(501, "NotImplemented", "A header or query you provided implies functionality that is not implemented.");
}
