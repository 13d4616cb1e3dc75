using System.Runtime.InteropServices;

namespace LambdaCluster.Runtimes.Prestart;

/// <summary>
/// The mounts that hand a function's code to a runtime already running in its sandbox (mount(2), mount_namespaces(7)).
/// The slots' parent folder is a shared mount, and a sandbox's /var/task and /opt are binds of its slot's folders made
/// by bubblewrap, which leaves them slaves of the host's: a bind made on the host later appears inside. Each bind is
/// made read-only before it lands in a slot (a flag a bind keeps when it is propagated), so the function sees its code
/// read-only, as in a fresh sandbox.
/// </summary>
internal static partial class SlotMounts
{
    private const ulong MsRdonly = 1;
    private const ulong MsRemount = 32;
    private const ulong MsBind = 4096;
    private const ulong MsRec = 16384;
    private const ulong MsPrivate = 1 << 18;
    private const ulong MsShared = 1 << 20;
    private const int MntDetach = 2;

    /// <summary>Makes <paramref name="directory"/> a shared mount of itself (idempotent enough: a second bind stacks harmlessly). Throws IOException.</summary>
    public static void MakeShared(string directory)
    {
        Check(mount(directory, directory, null, MsBind | MsRec, 0), "bind", directory);
        Check(mount("none", directory, null, MsPrivate, 0), "make-private", directory);
        Check(mount("none", directory, null, MsShared, 0), "make-shared", directory);
    }

    /// <summary>Binds <paramref name="source"/> read-only onto <paramref name="target"/>, through <paramref name="staging"/> (an empty folder outside the shared one). Throws IOException.</summary>
    public static void BindReadOnly(string source, string target, string staging)
    {
        Directory.CreateDirectory(staging);
        try
        {
            Check(mount(source, staging, null, MsBind, 0), "bind", staging);
            Check(mount("none", staging, null, MsRemount | MsBind | MsRdonly, 0), "remount read-only", staging);
            Check(mount(staging, target, null, MsBind, 0), "bind", target);
        }
        finally
        {
            umount2(staging, MntDetach);
            Directory.Delete(staging);
        }
    }

    /// <summary>Detaches whatever is mounted on <paramref name="target"/> (lazily: a process still inside keeps its view until it goes).</summary>
    public static void Detach(string target) => umount2(target, MntDetach);

    private static void Check(int result, string what, string path)
    {
        if (result != 0)
        {
            throw new IOException($"mount ({what}) {path}: error {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string? fileSystemType, ulong flags, nint data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
