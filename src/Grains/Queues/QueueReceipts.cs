using System.Text;

namespace LambdaCluster.Grains.Queues;

/// <summary>Receipt handles: opaque to clients, naming the message and the receive they came from.</summary>
public static class QueueReceipts
{
    public static string New(string messageId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{messageId}#{Guid.NewGuid():N}"));

    /// <summary>The message a handle names, or null when it is not one of ours.</summary>
    public static string? MessageIdOf(string handle)
    {
        if (handle.Length is 0 or > 1024)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(handle));
            var hash = text.IndexOf('#', StringComparison.Ordinal);
            return hash == 36 && Guid.TryParse(text[..hash], out _) ? text[..hash] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
