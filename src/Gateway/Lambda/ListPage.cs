using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// One page of a Lambda list operation over a list the grain returned whole: the items after the request's
/// Marker (the key of the last item of the previous page), at most MaxItems (capped at 50), and the marker
/// of the next page (null on the last page).
/// </summary>
public static class ListPage
{
    public static (List<T> Items, string? NextMarker) Of<T>(HttpContext http, IReadOnlyList<T> all, Func<T, string> key)
    {
        var maxItems = FunctionApi.MaxItems(http);
        var marker = http.Request.Query["Marker"].FirstOrDefault();
        var start = 0;
        if (marker is not null)
        {
            for (var i = 0; i < all.Count; i++)
            {
                if (key(all[i]) == marker)
                {
                    start = i + 1;
                    break;
                }
            }
        }

        var items = all.Skip(start).Take(maxItems).ToList();
        return (items, start + items.Count < all.Count ? key(items[^1]) : null);
    }
}
