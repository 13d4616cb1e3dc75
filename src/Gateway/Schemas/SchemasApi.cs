using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Gateway.Schemas.Model;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Schemas;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Schemas;

/// <summary>
/// The part of EventBridge's Schemas API (2019-12-02, rest-json, SigV4 service <c>schemas</c>) that Lambda's shareable
/// test events live in: Create/DescribeRegistry and Create/Describe/Update/Delete/ListSchemas under
/// <c>/v1/registries/name/{registry}</c>. The console keeps a function's saved test events in registry
/// <c>lambda-testevent-schemas</c>, schema <c>_{function}-schema</c>, as Lambda's console does; the CLI
/// (<c>aws schemas describe-schema</c>) reads the same. Schemas are stored whole (up to 100,000 characters, valid JSON);
/// nothing is inferred from them (no code bindings, no discovery).
/// </summary>
public sealed partial class SchemasApi(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    public const string PathPrefix = "/v1/registries";

    /// <summary>The Schemas API's limit on Content.</summary>
    public const int MaxContentLength = 100_000;

    /// <summary>POST <c>/v1/registries/name/{registry}</c>: 201 with the registry; ConflictException if it exists.</summary>
    public Task CreateRegistryAsync(HttpContext http, string registryName) => Guarded(http, async () =>
    {
        ValidateName(registryName, "RegistryName", 64);
        var request = Read(http, SchemasJsonContext.Default.RegistryRequest);
        var definition = new SchemaRegistryDefinition { RegistryName = registryName, RegistryArn = RegistryArn(registryName), Description = Description(request.Description) };
        if (!await Registry(registryName).CreateAsync(definition))
        {
            throw SchemasException.Conflict($"Registry with name {registryName} already exists.");
        }

        await WriteAsync(http, StatusCodes.Status201Created, Dto(definition), SchemasJsonContext.Default.RegistryResponse);
    });

    /// <summary>GET <c>/v1/registries/name/{registry}</c>; NotFoundException when missing.</summary>
    public Task DescribeRegistryAsync(HttpContext http, string registryName) => Guarded(http, async () =>
        await WriteAsync(http, StatusCodes.Status200OK, Dto(await ExistingRegistryAsync(registryName)), SchemasJsonContext.Default.RegistryResponse));

    /// <summary>POST <c>.../schemas/name/{schema}</c>: 201; Content and Type required; ConflictException if it exists.</summary>
    public Task CreateSchemaAsync(HttpContext http, string registryName, string schemaName) => Guarded(http, async () =>
    {
        ValidateName(schemaName, "SchemaName", 385);
        var request = Read(http, SchemasJsonContext.Default.SchemaRequest);
        var type = SchemaType(request.Type) ?? throw SchemasException.BadRequest("Type is required.");
        var content = Content(request.Content, type) ?? throw SchemasException.BadRequest("Content is required.");
        await ExistingRegistryAsync(registryName);
        var now = time.GetUtcNow();
        var created = await Schema(registryName, schemaName).CreateAsync(new SchemaDefinition
        {
            SchemaName = schemaName,
            SchemaArn = $"arn:aws:schemas:{node.Value.Region}:{node.Value.AccountId}:schema/{registryName}/{schemaName}",
            Type = type,
            Content = content,
            Description = Description(request.Description),
            Version = 1,
            LastModified = now,
            VersionCreatedDate = now,
        }) ?? throw SchemasException.Conflict($"Schema with name {schemaName} already exists.");
        await WriteAsync(http, StatusCodes.Status201Created, Dto(created, withContent: false), SchemasJsonContext.Default.SchemaResponse);
    });

    /// <summary>GET <c>.../schemas/name/{schema}</c>: the latest version with its Content.</summary>
    public Task DescribeSchemaAsync(HttpContext http, string registryName, string schemaName) => Guarded(http, async () =>
    {
        await ExistingRegistryAsync(registryName);
        var schema = await Schema(registryName, schemaName).GetAsync() ?? throw SchemaNotFound(schemaName);
        var version = http.Request.Query["schemaVersion"].FirstOrDefault();
        if (version is not null && version != schema.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw SchemasException.NotFound($"Schema version {version} of {schemaName} does not exist: only the latest version ({schema.Version}) is kept.");
        }

        await WriteAsync(http, StatusCodes.Status200OK, Dto(schema, withContent: true), SchemasJsonContext.Default.SchemaResponse);
    });

    /// <summary>PUT <c>.../schemas/name/{schema}</c>: a new version with the fields given.</summary>
    public Task UpdateSchemaAsync(HttpContext http, string registryName, string schemaName) => Guarded(http, async () =>
    {
        var request = Read(http, SchemasJsonContext.Default.SchemaRequest);
        var type = SchemaType(request.Type);
        await ExistingRegistryAsync(registryName);
        var current = await Schema(registryName, schemaName).GetAsync();
        var content = Content(request.Content, type ?? current?.Type ?? "OpenApi3");
        var updated = await Schema(registryName, schemaName).UpdateAsync(content, type, Description(request.Description), time.GetUtcNow())
            ?? throw SchemaNotFound(schemaName);
        await WriteAsync(http, StatusCodes.Status200OK, Dto(updated, withContent: false), SchemasJsonContext.Default.SchemaResponse);
    });

    /// <summary>DELETE <c>.../schemas/name/{schema}</c>: 204.</summary>
    public Task DeleteSchemaAsync(HttpContext http, string registryName, string schemaName) => Guarded(http, async () =>
    {
        await ExistingRegistryAsync(registryName);
        if (!await Schema(registryName, schemaName).DeleteAsync())
        {
            throw SchemaNotFound(schemaName);
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
    });

    /// <summary>GET <c>.../schemas</c>?schemaNamePrefix&amp;limit&amp;nextToken: names in order, at most 100 a page.</summary>
    public Task ListSchemasAsync(HttpContext http, string registryName) => Guarded(http, async () =>
    {
        await ExistingRegistryAsync(registryName);
        var limit = 100;
        if (http.Request.Query["limit"].FirstOrDefault() is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            throw SchemasException.BadRequest("limit must be between 1 and 100.");
        }

        var prefix = http.Request.Query["schemaNamePrefix"].FirstOrDefault() ?? "";
        var names = await grains.GetGrain<IFunctionRegistryGrain>(SchemaKeys.SchemaNames(node.Value.AccountId, registryName))
            .ListAsync(http.Request.Query["nextToken"].FirstOrDefault(), int.MaxValue);
        var page = names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Take(limit + 1).ToList();
        var summaries = new List<SchemaSummaryDto>();
        foreach (var name in page.Take(limit))
        {
            if (await Schema(registryName, name).GetAsync() is { } schema)
            {
                summaries.Add(new SchemaSummaryDto(Iso(schema.LastModified), schema.SchemaArn, schema.SchemaName, [], schema.Version));
            }
        }

        var next = page.Count > limit ? page[limit - 1] : null;
        await WriteAsync(http, StatusCodes.Status200OK, new ListSchemasResponse(summaries, next), SchemasJsonContext.Default.ListSchemasResponse);
    });

    private async Task<SchemaRegistryDefinition> ExistingRegistryAsync(string registryName) =>
        await Registry(registryName).GetAsync() ?? throw SchemasException.NotFound($"Registry with name {registryName} does not exist.");

    private static SchemasException SchemaNotFound(string schemaName) => SchemasException.NotFound($"Schema with name {schemaName} does not exist.");

    private ISchemaRegistryGrain Registry(string registryName) => grains.GetGrain<ISchemaRegistryGrain>(SchemaKeys.Registry(node.Value.AccountId, registryName));

    private ISchemaGrain Schema(string registryName, string schemaName) => grains.GetGrain<ISchemaGrain>(SchemaKeys.Schema(node.Value.AccountId, registryName, schemaName));

    private string RegistryArn(string registryName) => $"arn:aws:schemas:{node.Value.Region}:{node.Value.AccountId}:registry/{registryName}";

    private static void ValidateName(string name, string member, int maxLength)
    {
        if (name.Length > maxLength || !NamePattern().IsMatch(name))
        {
            throw SchemasException.BadRequest($"{member} must be 1 to {maxLength} characters of letters, digits, '.', '-', '_' and '@'.");
        }
    }

    private static string? SchemaType(string? type) => type switch
    {
        null => null,
        "OpenApi3" or "JSONSchemaDraft4" => type,
        _ => throw SchemasException.BadRequest($"Invalid Type {type}: must be OpenApi3 or JSONSchemaDraft4."),
    };

    /// <summary>Content as stored: 1 to 100,000 characters of a JSON object (either type is a JSON document).</summary>
    private static string? Content(string? content, string type)
    {
        if (content is null)
        {
            return null;
        }

        if (content.Length is 0 or > MaxContentLength)
        {
            throw SchemasException.BadRequest($"Content must be 1 to {MaxContentLength} characters.");
        }

        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw SchemasException.BadRequest($"Invalid {type} schema: the document must be a JSON object.");
            }
        }
        catch (JsonException e)
        {
            throw SchemasException.BadRequest($"Invalid {type} schema: {e.Message}");
        }

        return content;
    }

    private static string? Description(string? description) => description is { Length: > 256 }
        ? throw SchemasException.BadRequest("Description must be at most 256 characters.")
        : description;

    private static T Read<T>(HttpContext http, JsonTypeInfo<T> type) where T : class, new()
    {
        var body = http.Body();
        try
        {
            return body.Length == 0 ? new T() : JsonSerializer.Deserialize(body, type) ?? new T();
        }
        catch (JsonException e)
        {
            throw SchemasException.BadRequest($"Could not parse request body into json: {e.Message}");
        }
    }

    private static RegistryResponse Dto(SchemaRegistryDefinition registry) => new(registry.Description, registry.RegistryArn, registry.RegistryName, []);

    private static SchemaResponse Dto(SchemaDefinition schema, bool withContent) => new(
        withContent ? schema.Content : null, schema.Description, Iso(schema.LastModified), schema.SchemaArn, schema.SchemaName,
        schema.Version.ToString(CultureInfo.InvariantCulture), [], schema.Type, Iso(schema.VersionCreatedDate));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Task WriteAsync<T>(HttpContext http, int status, T value, JsonTypeInfo<T> type) => Lambda.LambdaResults.WriteAsync(http, status, value, type);

    /// <summary>Runs an operation, writing its <see cref="SchemasException"/> as the Schemas API does.</summary>
    private static async Task Guarded(HttpContext http, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (SchemasException e) when (!http.Response.HasStarted)
        {
            http.Response.Headers["x-amzn-ErrorType"] = e.Code;
            await WriteAsync(http, e.Status, new Dictionary<string, string> { ["Code"] = e.Code, ["Message"] = e.Message }, SchemasJsonContext.Default.DictionaryStringString);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9@._-]+$")]
    private static partial Regex NamePattern();
}
