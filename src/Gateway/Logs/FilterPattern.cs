namespace LambdaCluster.Gateway.Logs;

/// <summary>
/// CloudWatch Logs term patterns for unstructured events: every term must occur (case-sensitive);
/// <c>"a phrase"</c> matches exactly; <c>-term</c> must not occur; <c>?term</c> terms are alternatives
/// (any one suffices). An empty pattern matches everything.
/// </summary>
public sealed class FilterPattern
{
    private readonly List<string> _required = [];
    private readonly List<string> _excluded = [];
    private readonly List<string> _any = [];

    private FilterPattern()
    {
    }

    public static FilterPattern Parse(string? pattern)
    {
        var result = new FilterPattern();
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return result;
        }

        var text = pattern.Trim();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var prefix = text[i] is '-' or '?' ? text[i++] : ' ';
            string term;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                term = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                term = text[i..end];
                i = end;
            }

            if (term.Length == 0)
            {
                continue;
            }

            (prefix switch { '-' => result._excluded, '?' => result._any, _ => result._required }).Add(term);
        }

        return result;
    }

    public bool Matches(string message) =>
        _required.All(t => message.Contains(t, StringComparison.Ordinal))
        && !_excluded.Any(t => message.Contains(t, StringComparison.Ordinal))
        && (_any.Count == 0 || _any.Any(t => message.Contains(t, StringComparison.Ordinal)));
}
