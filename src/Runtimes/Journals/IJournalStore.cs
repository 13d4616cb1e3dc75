namespace LambdaCluster.Runtimes.Journals;

/// <summary>
/// Append-only journals of text records, one per name (a queue's, a stream shard's): the owner appends each change
/// before it acknowledges it, replays the journal when it activates, and now and then replaces it with a compact
/// equivalent. One writer per journal at a time (the grain that owns it). Names are made of letters, digits and
/// <c>-_./</c>.
/// </summary>
public interface IJournalStore
{
    Task<IReadOnlyList<string>> ReadAsync(string journal, CancellationToken cancellationToken);

    Task AppendAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken);

    /// <summary>Replaces the whole journal at once (compaction); a reader sees the old or the new one, never a mix.</summary>
    Task ReplaceAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken);

    Task DeleteAsync(string journal, CancellationToken cancellationToken);
}
