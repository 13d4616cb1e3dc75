namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// What an Extensions API request comes to: registered (the identifier and the body to answer), an event to wait for,
/// accepted (202), or refused with Lambda's 403 error type and message (the Runtime Interface Emulator's rapi/handler/constants.go).
/// </summary>
internal sealed record ExtensionsApiResult(ExtensionsApiResultKind Kind, string? Identifier = null, byte[]? Body = null, Task<byte[]?>? NextEvent = null, string? ErrorType = null, string? Message = null)
{
    public static readonly ExtensionsApiResult Accepted = new(ExtensionsApiResultKind.Accepted);

    public static ExtensionsApiResult Registered(string identifier, byte[] body) => new(ExtensionsApiResultKind.Registered, identifier, body);

    public static ExtensionsApiResult Event(Task<byte[]?> next) => new(ExtensionsApiResultKind.Event, NextEvent: next);

    public static ExtensionsApiResult Forbidden(string errorType, string message) => new(ExtensionsApiResultKind.Forbidden, ErrorType: errorType, Message: message);
}
