namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// An extension ended the phase it was in: <c>Extension.Crash</c> (its process ended), <c>Extension.InitError</c> or
/// <c>Extension.ExitError</c> (it said so through the API), <c>Extension.LaunchError</c> (it could not be started).
/// <paramref name="Message"/> is what follows <c>Error:</c> in Lambda's error document.
/// </summary>
internal sealed record ExtensionFailure(string ErrorType, string ExtensionName, string Message);
