using System.Text;
using System.Text.Json;

namespace LambdaCluster.Grains.Permissions;

/// <summary>
/// Renders policies as Lambda returns them: AddPermission's <c>Statement</c> and GetPolicy's <c>Policy</c> are JSON
/// documents carried as strings (<c>{"Version":"2012-10-17","Id":"default","Statement":[...]}</c>), each statement
/// <c>{"Sid","Effect":"Allow","Principal","Action","Resource","Condition"}</c> with the principal and conditions mapped
/// from AddPermission's fields (see the Lambda guide, "Working with resource-based IAM policies in Lambda").
/// </summary>
public static class PolicyDocument
{
    /// <summary>Lambda's limit on a resource policy: 20 KB (PolicyLengthExceededException beyond).</summary>
    public const int MaxBytes = 20 * 1024;

    /// <summary>The whole policy document.</summary>
    public static string Render(IEnumerable<PolicyStatement> statements) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("Version", "2012-10-17");
        json.WriteString("Id", "default");
        json.WriteStartArray("Statement");
        foreach (var statement in statements)
        {
            WriteStatement(json, statement);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>One statement, as AddPermission returns it.</summary>
    public static string Render(PolicyStatement statement) => Write(json => WriteStatement(json, statement));

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStatement(Utf8JsonWriter json, PolicyStatement statement)
    {
        json.WriteStartObject();
        json.WriteString("Sid", statement.Sid);
        json.WriteString("Effect", "Allow");
        WritePrincipal(json, statement.Principal);
        json.WriteString("Action", statement.Action);
        json.WriteString("Resource", statement.Resource);
        var conditions = Conditions(statement);
        if (conditions.Count > 0)
        {
            json.WriteStartObject("Condition");
            foreach (var (op, pairs) in conditions)
            {
                json.WriteStartObject(op);
                foreach (var (key, value) in pairs)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary><c>*</c> as is; an account id as its root ARN and an IAM ARN under AWS; anything else is a service.</summary>
    private static void WritePrincipal(Utf8JsonWriter json, string principal)
    {
        if (principal == "*")
        {
            json.WriteString("Principal", "*");
            return;
        }

        json.WriteStartObject("Principal");
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit))
        {
            json.WriteString("AWS", $"arn:aws:iam::{principal}:root");
        }
        else if (principal.StartsWith("arn:", StringComparison.Ordinal))
        {
            json.WriteString("AWS", principal);
        }
        else
        {
            json.WriteString("Service", principal);
        }

        json.WriteEndObject();
    }

    private static List<(string Operator, List<(string Key, string Value)> Pairs)> Conditions(PolicyStatement s)
    {
        var equals = new List<(string, string)>();
        if (s.SourceAccount is { } account)
        {
            equals.Add(("AWS:SourceAccount", account));
        }

        if (s.PrincipalOrgId is { } org)
        {
            equals.Add(("aws:PrincipalOrgID", org));
        }

        if (s.OrganizationId is { } layerOrg)
        {
            equals.Add(("aws:PrincipalOrgID", layerOrg));
        }

        if (s.EventSourceToken is { } token)
        {
            equals.Add(("lambda:EventSourceToken", token));
        }

        if (s.FunctionUrlAuthType is { } authType)
        {
            equals.Add(("lambda:FunctionUrlAuthType", authType));
        }

        var conditions = new List<(string, List<(string, string)>)>();
        if (equals.Count > 0)
        {
            conditions.Add(("StringEquals", equals));
        }

        if (s.SourceArn is { } sourceArn)
        {
            conditions.Add(("ArnLike", [("AWS:SourceArn", sourceArn)]));
        }

        if (s.InvokedViaFunctionUrl is true)
        {
            conditions.Add(("Bool", [("lambda:InvokedViaFunctionUrl", "true")]));
        }

        return conditions;
    }
}
