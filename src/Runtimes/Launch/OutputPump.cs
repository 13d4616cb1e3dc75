using System.Text;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Reads a process's combined stdout/stderr pipe and cuts it into lines.
/// Every read of the pipe happens under one lock and takes only the bytes the kernel says are there,
/// so <see cref="Drain"/> can consume everything the process wrote before a given moment (for example
/// before it posted its response) without racing the background reader: a log line printed just before
/// <c>return</c> always lands in that invocation, before END.
/// </summary>
internal sealed class OutputPump : IDisposable
{
    /// <summary>CloudWatch's limit on one event; longer lines are cut.</summary>
    public const int MaxLineBytes = 256 * 1024;

    private readonly int _fd;
    private readonly Action<string> _onLine;
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _partial = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopped;

    public OutputPump(int fd, Action<string> onLine)
    {
        _fd = fd;
        _onLine = onLine;
        var thread = new Thread(Run) { IsBackground = true, Name = "output-pump" };
        thread.Start();
    }

    /// <summary>Completes when the pipe reached end of file (every writer closed it).</summary>
    public Task Ended => _ended.Task;

    /// <summary>Consumes every byte already in the pipe and emits pending lines, including a last partial one.</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (ReadAvailable() > 0)
            {
            }

            FlushPartial();
        }
    }

    public void Dispose() => _stopped = true;

    private unsafe void Run()
    {
        try
        {
            var pollFd = new LibC.PollFd { Fd = _fd, Events = LibC.PollIn };
            while (!_stopped)
            {
                pollFd.Revents = 0;
                var ready = LibC.poll(&pollFd, 1, 500);
                if (ready <= 0)
                {
                    continue;
                }

                lock (_gate)
                {
                    if (ReadAvailable() > 0)
                    {
                        continue;
                    }

                    if ((pollFd.Revents & (LibC.PollHup | LibC.PollErr)) != 0)
                    {
                        FlushPartial();
                        return;
                    }
                }
            }
        }
        finally
        {
            _ended.TrySetResult();
        }
    }

    /// <summary>Reads what the kernel holds right now (never blocks); returns the byte count.</summary>
    private unsafe int ReadAvailable()
    {
        var available = LibC.BytesAvailable(_fd);
        var total = 0;
        while (available > 0)
        {
            nint read;
            fixed (byte* p = _buffer)
            {
                read = LibC.read(_fd, p, (nuint)Math.Min(available, _buffer.Length));
            }

            if (read <= 0)
            {
                break;
            }

            Split(_buffer.AsSpan(0, (int)read));
            available -= (int)read;
            total += (int)read;
        }

        return total;
    }

    private void Split(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendPartial(bytes);
                return;
            }

            AppendPartial(bytes[..newline]);
            FlushPartial();
            bytes = bytes[(newline + 1)..];
        }
    }

    private void AppendPartial(ReadOnlySpan<byte> bytes)
    {
        var room = MaxLineBytes - (int)_partial.Length;
        if (room > 0)
        {
            _partial.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
    }

    private void FlushPartial()
    {
        if (_partial.Length == 0)
        {
            return;
        }

        var line = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length);
        _partial.SetLength(0);
        _onLine(line);
    }
}
