using LambdaCluster.Grains.Urls;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Urls;

/// <summary>A URL's configured CORS headers; they override any the function returns.</summary>
public static class FunctionUrlCorsHeaders
{
    public static void Apply(HttpContext http, FunctionUrlCors cors, bool preflight)
    {
        var headers = http.Response.Headers;
        var origin = http.Request.Headers.Origin.ToString();
        var origins = cors.AllowOrigins ?? [];
        if (origins.Contains("*"))
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else if (origin.Length > 0 && origins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            headers.AccessControlAllowOrigin = origin;
            headers.Vary = "Origin";
        }

        if (cors.AllowCredentials == true)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (cors.ExposeHeaders is { Count: > 0 } expose)
        {
            headers.AccessControlExposeHeaders = string.Join(',', expose);
        }

        if (preflight)
        {
            if (cors.AllowMethods is { Count: > 0 } methods)
            {
                headers.AccessControlAllowMethods = string.Join(',', methods);
            }

            if (cors.AllowHeaders is { Count: > 0 } allowed)
            {
                headers.AccessControlAllowHeaders = string.Join(',', allowed);
            }

            if (cors.MaxAge is { } maxAge)
            {
                headers.AccessControlMaxAge = maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
