using System.Xml.Linq;

namespace LambdaCluster.Gateway.S3;

/// <summary>One LambdaFunctionConfiguration: its Id, function, events and key filter.</summary>
internal sealed record LambdaFunctionConfiguration(string Id, string FunctionArn, IReadOnlyList<string> Events, string Prefix, string Suffix)
{
    /// <summary>The event types a configuration may name (S3's ObjectCreated and ObjectRemoved families).</summary>
    private static readonly string[] SupportedEvents =
    [
        "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
        "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
    ];

    private static readonly XNamespace S3 = S3Xml.Namespace;

    /// <summary>Reads one CloudFunctionConfiguration element (its Id made when absent); throws <see cref="S3Exception"/> MalformedXML or InvalidArgument.</summary>
    public static LambdaFunctionConfiguration Parse(XElement element)
    {
        string? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var function = Child(element, "CloudFunction") ?? throw S3Exception.MalformedXml();
        var events = element.Elements().Where(e => e.Name.LocalName == "Event").Select(e => e.Value).ToList();
        if (events.Count == 0)
        {
            throw S3Exception.MalformedXml();
        }

        if (events.FirstOrDefault(e => !SupportedEvents.Contains(e)) is { } unsupported)
        {
            throw S3Exception.InvalidArgument($"The event is not supported for notifications: {unsupported}");
        }

        var (prefix, suffix) = ("", "");
        var rules = element.Elements().Where(e => e.Name.LocalName == "Filter").Elements().Where(e => e.Name.LocalName == "S3Key").Elements().Where(e => e.Name.LocalName == "FilterRule");
        foreach (var rule in rules)
        {
            var value = Child(rule, "Value") ?? "";
            switch (Child(rule, "Name")?.ToLowerInvariant())
            {
                case "prefix" when prefix.Length == 0: prefix = value; break;
                case "suffix" when suffix.Length == 0: suffix = value; break;
                default: throw S3Exception.InvalidArgument("Cannot specify more than one prefix or suffix rule in a filter, and rule names are prefix or suffix.");
            }
        }

        return new LambdaFunctionConfiguration(Child(element, "Id") is { Length: > 0 } id ? id : Guid.NewGuid().ToString(), function, events, prefix, suffix);
    }

    public bool Matches(string eventName, string key) =>
        Events.Any(e => e == eventName || (e.EndsWith(":*", StringComparison.Ordinal) && eventName.StartsWith(e[..^1], StringComparison.Ordinal)))
        && key.StartsWith(Prefix, StringComparison.Ordinal) && key.EndsWith(Suffix, StringComparison.Ordinal);

    public XElement ToXml()
    {
        var element = new XElement(S3 + "CloudFunctionConfiguration", new XElement(S3 + "Id", Id), new XElement(S3 + "CloudFunction", FunctionArn));
        element.Add(Events.Select(e => new XElement(S3 + "Event", e)));
        if (Prefix.Length > 0 || Suffix.Length > 0)
        {
            var key = new XElement(S3 + "S3Key");
            if (Prefix.Length > 0)
            {
                key.Add(new XElement(S3 + "FilterRule", new XElement(S3 + "Name", "prefix"), new XElement(S3 + "Value", Prefix)));
            }

            if (Suffix.Length > 0)
            {
                key.Add(new XElement(S3 + "FilterRule", new XElement(S3 + "Name", "suffix"), new XElement(S3 + "Value", Suffix)));
            }

            element.Add(new XElement(S3 + "Filter", key));
        }

        return element;
    }
}
