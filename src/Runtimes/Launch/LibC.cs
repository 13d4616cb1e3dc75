using System.Runtime.InteropServices;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>The few libc calls the output pump needs to read a pipe without racing its own reader, and kill for the sandbox.</summary>
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

    public const int SigKill = 9;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    public static unsafe int BytesAvailable(int fd)
    {
        var value = 0;
        return ioctl(fd, FionRead, &value) == 0 ? value : 0;
    }
}
