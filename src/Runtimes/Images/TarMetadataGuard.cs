using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// A layer's tar stream as <see cref="System.Formats.Tar.TarReader"/> reads it, refusing a metadata entry (PAX <c>x</c>/<c>g</c>
/// attributes, GNU <c>L</c>/<c>K</c> long names) whose header declares more than <see cref="MaxMetadataBytes"/> of data:
/// TarReader allocates a buffer of the declared size (up to 2 GB) before reading it, so one 512-byte header in a layer
/// from a registry a user named could make the node allocate and fill gigabytes. The limit is Go's archive/tar's (1 MiB,
/// what containerd and Docker unpack with). Follows the tar framing (POSIX pax, ustar): each 512-byte header, then its
/// data padded to 512, the data's size from the header's size field (octal or base-256), or from the <c>size</c> record
/// of the PAX <c>x</c> entry before it. A size field it cannot read as TarReader does, and PAX attributes after a GNU long
/// name (which TarReader frames differently), are refused too; other malformed input is left to TarReader. Read-only,
/// forward-only; does not own the inner stream.
/// </summary>
internal sealed class TarMetadataGuard(Stream inner) : Stream
{
    /// <summary>The most data a metadata entry may declare (bytes).</summary>
    public const int MaxMetadataBytes = 1 << 20;

    private const int BlockSize = 512;
    private const int SizeOffset = 124;
    private const int SizeLength = 12;
    private const int TypeFlagOffset = 156;

    private readonly byte[] _header = new byte[BlockSize];
    private long _position;
    private long _nextHeader;
    private int _headerFilled;
    private byte[]? _pax; // the data of the PAX 'x' entry being read, for its 'size' record
    private long _paxStart;
    private int _paxFilled;
    private long? _sizeOverride; // the next entry's data size, from the PAX entry before it
    private bool _afterLongName; // the last header was a GNU long name or link name

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Follows the framing through the bytes just read (they start at <see cref="_position"/>).</summary>
    private void Observe(ReadOnlySpan<byte> data)
    {
        var start = _position;
        _position += data.Length;
        while (!data.IsEmpty)
        {
            if (_pax is not null && start < _paxStart + _pax.Length)
            {
                var skip = (int)Math.Max(0, _paxStart - start);
                if (skip >= data.Length)
                {
                    return;
                }

                var take = Math.Min(data.Length - skip, _pax.Length - _paxFilled);
                data.Slice(skip, take).CopyTo(_pax.AsSpan(_paxFilled));
                _paxFilled += take;
                start += skip + take;
                data = data[(skip + take)..];
                if (_paxFilled == _pax.Length)
                {
                    _sizeOverride = PaxSize(_pax);
                    _pax = null;
                }

                continue;
            }

            if (start + data.Length <= _nextHeader)
            {
                return; // all of it is entry data
            }

            var gap = (int)Math.Max(0, _nextHeader - start);
            var part = Math.Min(data.Length - gap, BlockSize - _headerFilled);
            data.Slice(gap, part).CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += part;
            start += gap + part;
            data = data[(gap + part)..];
            if (_headerFilled == BlockSize)
            {
                Frame();
            }
        }
    }

    /// <summary>A whole header is here: refuse an oversized metadata entry, and find where the next header starts.</summary>
    private void Frame()
    {
        var headerAt = _nextHeader;
        _headerFilled = 0;
        var type = (char)_header[TypeFlagOffset];
        var size = HeaderSize(_header.AsSpan(SizeOffset, SizeLength));
        var metadata = type is 'x' or 'g' or 'L' or 'K';
        if (metadata && size > MaxMetadataBytes)
        {
            throw new ImageException(ImageFailure.InvalidImage,
                $"A layer has a tar metadata entry ('{type}') of {size} bytes; at most {MaxMetadataBytes} are allowed.");
        }

        // TarReader reads PAX attributes after a GNU long name as an entry of their own, not as the next entry's: refused
        // rather than framed two ways (no tool writes them in that order).
        var afterLongName = _afterLongName;
        _afterLongName = type is 'L' or 'K';
        if (afterLongName && type is 'x' or 'g')
        {
            throw new ImageException(ImageFailure.InvalidImage, $"A layer has PAX attributes ('{type}') after a GNU long name.");
        }

        if (!metadata && _sizeOverride is { } overridden)
        {
            size = overridden;
        }

        if (!metadata || type == 'x')
        {
            _sizeOverride = null; // a PAX 'x' entry describes the one entry after it only
        }

        if (type == 'x' && size > 0)
        {
            (_pax, _paxStart, _paxFilled) = (new byte[size], headerAt + BlockSize, 0);
        }

        var padded = size > long.MaxValue / 2 ? long.MaxValue / 2 : (size + BlockSize - 1) / BlockSize * BlockSize;
        _nextHeader = headerAt + BlockSize + padded;
    }

    /// <summary>A header's size field: octal digits, or base-256 (a first byte with its high bit set), as TarReader reads it.</summary>
    private static long HeaderSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            var high = field[..4];
            return high.IndexOfAnyExcept((byte)0x80, (byte)0) >= 0 || (field[4] & 0x80) != 0
                ? long.MaxValue
                : BinaryPrimitives.ReadInt64BigEndian(field[4..]);
        }

        // As TarReader reads it: up to the first NUL, without spaces around. Anything else but octal digits is refused here
        // (TarReader would refuse it too), so the two never disagree on where the next header starts.
        var end = field.IndexOf((byte)0);
        long value = 0;
        foreach (var b in (end < 0 ? field : field[..end]).Trim((byte)' '))
        {
            if (b is < (byte)'0' or > (byte)'7')
            {
                throw new ImageException(ImageFailure.InvalidImage, "A layer has a tar header whose size field is not an octal number.");
            }

            value = (value << 3) | (uint)(b - '0');
        }

        return value;
    }

    /// <summary>The <c>size</c> record of PAX extended attributes (<c>"%d size=%d\n"</c>), or null.</summary>
    private static long? PaxSize(ReadOnlySpan<byte> records)
    {
        var text = Encoding.UTF8.GetString(records);
        foreach (var record in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = record.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && record.AsSpan(space + 1).StartsWith("size=", StringComparison.Ordinal)
                && long.TryParse(record.AsSpan(space + 6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size >= 0)
            {
                return size;
            }
        }

        return null;
    }
}
