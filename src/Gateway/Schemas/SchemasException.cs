namespace LambdaCluster.Gateway.Schemas;

/// <summary>
/// An error of the Schemas API (BadRequestException 400, NotFoundException 404, ConflictException 409), written as
/// <c>{"Code": ..., "Message": ...}</c> with <c>x-amzn-ErrorType</c>, the shape botocore's rest-json parser reads.
/// </summary>
public sealed class SchemasException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static SchemasException BadRequest(string message) => new(400, "BadRequestException", message);

    public static SchemasException NotFound(string message) => new(404, "NotFoundException", message);

    public static SchemasException Conflict(string message) => new(409, "ConflictException", message);
}
