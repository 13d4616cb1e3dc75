using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Console;

/// <summary>
/// Serves the console's built files (index.html, console.js, console.css) at <c>/console/</c> with ASP.NET's static
/// file middleware, before SigV4: they are the sign-in page and hold no data. A strict Content-Security-Policy keeps the
/// page to its own scripts and its own origin (the API), so a function's output shown in it cannot run as script.
/// </summary>
public static class ConsoleFiles
{
    public const string PathPrefix = "/console";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Adds the console's files (from <see cref="ConsoleOptions.Directory"/>) and the front page's redirect to the
    /// pipeline, unless the console is disabled or its folder is missing. Call before the SigV4 middleware.
    /// </summary>
    public static WebApplication UseLambdaConsole(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        var directory = options.Directory ?? Path.Combine(AppContext.BaseDirectory, "console");
        if (!options.Enabled || !System.IO.Directory.Exists(directory))
        {
            return app;
        }

        var files = new PhysicalFileProvider(directory);
        // Only unsigned requests: a signed one is an API call (an S3 bucket may be named "console").
        app.UseWhen(http => !IsSigned(http.Request) && (http.Request.Path == "/" || http.Request.Path.StartsWithSegments(PathPrefix)), console =>
        {
            console.Use(async (http, next) =>
            {
                if (HttpMethods.IsGet(http.Request.Method) && (http.Request.Path == "/" || http.Request.Path == PathPrefix))
                {
                    http.Response.Redirect($"{PathPrefix}/"); // the node's front page is the console
                    return;
                }

                if (http.Request.Path.StartsWithSegments(PathPrefix))
                {
                    http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    http.Response.Headers.XContentTypeOptions = "nosniff";
                    http.Response.Headers["Referrer-Policy"] = "no-referrer";
                    http.Response.Headers.CacheControl = "no-cache";
                    http.SetEndpoint(null); // routing ran first and may have matched a 405 for another method's route: files win here
                }

                await next(http);
            });
            console.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = PathPrefix });
            console.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = PathPrefix });
        });
        return app;
    }

    private static bool IsSigned(HttpRequest request) =>
        request.Headers.ContainsKey("Authorization") || request.Query.ContainsKey("X-Amz-Credential") || request.Query.ContainsKey("AWSAccessKeyId");
}
