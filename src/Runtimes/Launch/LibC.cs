using System.Runtime.InteropServices;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>The few libc calls the output pump needs to read a pipe without racing its own reader, kill for the sandbox, the pipes and exit watch of SnapStart forks, and the spawner's scheduling policy.</summary>
internal static partial class LibC
{
    public const short PollIn = 0x001;
    public const short PollHup = 0x010;
    public const short PollErr = 0x008;
    private const ulong FionRead = 0x541B;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int ioctl(int fd, ulong request, int* value);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint read(int fd, byte* buffer, nuint count);

    /// <summary>sched(7)'s SCHED_OTHER, the default policy.</summary>
    public const int SchedOther = 0;

    /// <summary>sched(7)'s SCHED_BATCH: as SCHED_OTHER, but a thread that wakes never preempts the one running.</summary>
    public const int SchedBatch = 3;

    /// <summary>sched_setscheduler(2) for the calling thread (pid 0) and a non-real-time policy (priority 0).</summary>
    public static unsafe int SetSchedulingPolicy(int policy)
    {
        var priority = 0;
        return sched_setscheduler(0, policy, &priority);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sched_setscheduler(int pid, int policy, int* param);

    public const int SigKill = 9;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    public const int ORdWr = 0x2;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    private const long SysPidfdOpen = 434; // the same number on x86-64 and arm64

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkfifo(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chown(string path, int owner, int group);

    /// <summary>Like chown, but a symbolic link is changed itself, never what it points to.</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc")]
    private static partial void free(nint pointer);

    /// <summary>The path with every symbolic link resolved (realpath(3)), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = realpath(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall2(long number, long first, long second);

    /// <summary>A file descriptor that becomes readable when process <paramref name="pid"/> exits (any process, not only a child); -1 when it is gone.</summary>
    public static int PidfdOpen(int pid) => (int)syscall2(SysPidfdOpen, pid, 0);

    public static unsafe int BytesAvailable(int fd)
    {
        var value = 0;
        return ioctl(fd, FionRead, &value) == 0 ? value : 0;
    }
}
