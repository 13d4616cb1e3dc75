namespace LambdaCluster.Runtimes.Journals;

/// <summary>Checks journal names, which become file paths and Redis keys.</summary>
public static class JournalNames
{
    public static string Checked(string journal)
    {
        if (journal.Length is 0 or > 200 || journal.StartsWith('/') || journal.Contains("..", StringComparison.Ordinal)
            || !journal.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            throw new ArgumentException($"'{journal}' is not a journal name.", nameof(journal));
        }

        return journal;
    }
}
