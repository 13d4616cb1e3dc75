using System.Collections.Concurrent;
using System.Text;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Journals;

/// <summary>
/// Journals as files of lines under <c>{DataDirectory}/journals</c> (the embedded default). An append is written
/// and flushed to the operating system before it returns, so it survives the process (not a power cut: no fsync).
/// </summary>
public sealed class FileJournalStore(IOptions<NodeOptions> options) : IJournalStore
{
    private readonly string _root = Path.Combine(options.Value.DataDirectory, "journals");
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> ReadAsync(string journal, CancellationToken cancellationToken)
    {
        var path = PathFor(journal);
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(path, Encoding.UTF8, cancellationToken);

        // A crash in the middle of an append leaves at most a partial last line: it was never acknowledged.
        return lines.Length > 0 && !EndsWithNewline(path) ? lines[..^1] : lines;
    }

    public async Task AppendAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var path = PathFor(journal);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
            await file.WriteAsync(Encode(records), cancellationToken);
            await file.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ReplaceAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var path = PathFor(journal);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temporary, Encode(records), cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task DeleteAsync(string journal, CancellationToken cancellationToken)
    {
        var path = PathFor(journal);
        if (File.Exists(path)) // a journal never written to has no file, and maybe no folder (File.Delete throws for a missing folder)
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathFor(string journal) => Path.Combine(_root, JournalNames.Checked(journal) + ".journal");

    private static byte[] Encode(IReadOnlyList<string> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(record.Replace('\n', ' ')).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static bool EndsWithNewline(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length == 0)
        {
            return true;
        }

        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() == '\n';
    }
}
