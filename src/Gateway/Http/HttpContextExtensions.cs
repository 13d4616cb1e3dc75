using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Http;

public static class HttpContextExtensions
{
    public static byte[] Body(this HttpContext http) => http.Features.Get<RequestBody>()?.Bytes ?? [];
}
