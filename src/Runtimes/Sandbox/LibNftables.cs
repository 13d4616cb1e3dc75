using System.Runtime.InteropServices;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// nftables' own library (libnftables, installed with the nft command): runs nft commands in-process. A SnapStart fork
/// changes one set element as it is made and another as it goes, and starting the nft command costs ~20 ms each time,
/// most of a restore; a call here costs well under a millisecond. One context, used under a lock (it is not thread-safe).
/// </summary>
internal static partial class LibNftables
{
    private const string Library = "libnftables.so.1";
    private static readonly Lock Gate = new();
    private static nint _context;

    /// <summary>Runs one nft command; null on success, else nft's error text. Throws DllNotFoundException without the library.</summary>
    public static string? Run(string command)
    {
        lock (Gate)
        {
            if (_context == 0)
            {
                _context = nft_ctx_new(0);
                nft_ctx_buffer_error(_context);
            }

            return nft_run_cmd_from_buffer(_context, command) == 0 ? null : Marshal.PtrToStringUTF8(nft_ctx_get_error_buffer(_context))?.Trim() ?? "nft failed";
        }
    }

    [LibraryImport(Library)]
    private static partial nint nft_ctx_new(uint flags);

    [LibraryImport(Library)]
    private static partial int nft_ctx_buffer_error(nint context);

    [LibraryImport(Library)]
    private static partial nint nft_ctx_get_error_buffer(nint context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int nft_run_cmd_from_buffer(nint context, string buffer);
}
