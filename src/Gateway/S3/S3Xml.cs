using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.S3;

/// <summary>S3's REST-XML answers: documents in S3's namespace, errors as &lt;Error&gt; (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).</summary>
public static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>Writes a document whose root is <paramref name="root"/> in S3's namespace, its content by <paramref name="content"/>.</summary>
    public static Task WriteAsync(HttpContext http, int status, string root, Action<XmlWriter> content)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartElement(root, Namespace);
            content(xml);
            xml.WriteEndElement();
        }

        return WriteBytesAsync(http, status, buffer.ToArray());
    }

    /// <summary>An S3 error; a HEAD request gets the status alone, as S3 answers it.</summary>
    public static Task WriteErrorAsync(HttpContext http, int status, string code, string message, string? resource = null)
    {
        if (HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartElement("Error");
            xml.WriteElementString("Code", code);
            xml.WriteElementString("Message", message);
            if (resource is not null)
            {
                xml.WriteElementString(code == "NoSuchKey" ? "Key" : code == "NoSuchBucket" ? "BucketName" : "Resource", resource);
            }

            xml.WriteElementString("RequestId", http.TraceIdentifier);
            xml.WriteEndElement();
        }

        return WriteBytesAsync(http, status, buffer.ToArray());
    }

    /// <summary>Largest XML request body taken (a DeleteObjects of 1,000 long keys fits).</summary>
    public const int MaxRequestBytes = 2 * 1024 * 1024;

    /// <summary>
    /// A request's XML document, read safely: no DTD (no entity expansion), at most <see cref="MaxRequestBytes"/>, and no
    /// element deeper than S3's documents go (a deep tree would overflow the stack of the code that walks it). Throws
    /// <see cref="S3Exception"/> MalformedXML or MaxMessageLengthExceeded.
    /// </summary>
    public static System.Xml.Linq.XElement Parse(byte[] body)
    {
        if (body.Length > MaxRequestBytes)
        {
            throw new S3Exception(400, "MaxMessageLengthExceeded", "Your request was too big.");
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxRequestBytes };
        try
        {
            using (var check = XmlReader.Create(new MemoryStream(body), settings))
            {
                while (check.Read())
                {
                    if (check.Depth > MaxDepth)
                    {
                        throw S3Exception.MalformedXml();
                    }
                }
            }

            using var reader = XmlReader.Create(new MemoryStream(body), settings);
            return System.Xml.Linq.XElement.Load(reader);
        }
        catch (XmlException)
        {
            throw S3Exception.MalformedXml();
        }
    }

    private const int MaxDepth = 8;

    /// <summary>S3's timestamps in XML: ISO 8601 with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task WriteBytesAsync(HttpContext http, int status, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body);
    }
}
