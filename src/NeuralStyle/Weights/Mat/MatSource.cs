using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralStyle.Weights.Mat;

/// <summary>
/// A forward-only cursor over either the file's bytes or one compressed element's decompressed bytes: tracks the
/// position for error messages, knows how many bytes can still exist, and applies the file's byte order.
/// </summary>
internal sealed class MatSource
{
    /// <summary>Arrays up to this size are allocated at once even when nothing proves the data is there.</summary>
    public const long UnprovenAllocationFloor = 1 << 20;

    /// <summary>zlib cannot expand data by more than 1032:1 (a 258-byte match costs at least two bits).</summary>
    private const long MaxInflateRatio = 1032;

    /// <summary>The inflater reads ahead of what it has produced; this bounds that look-ahead generously.</summary>
    private const long InflaterLookAhead = 1 << 16;

    private readonly Stream stream;
    private readonly bool canSeek;
    private readonly MatRegionStream? region;
    private readonly bool regionLengthProven;
    private readonly long compressedElementOffset;
    private readonly byte[] pending = new byte[8];
    private int pendingStart;
    private int pendingEnd;
    private long position;
    private long end;
    private bool lengthKnown;

    private MatSource(Stream stream, string sourceName, bool canSeek, long end, bool lengthKnown)
    {
        this.stream = stream;
        SourceName = sourceName;
        this.canSeek = canSeek;
        this.end = end;
        this.lengthKnown = lengthKnown;
        compressedElementOffset = -1;
    }

    private MatSource(ZLibStream inflater, MatSource file, MatRegionStream region, long compressedElementOffset)
    {
        stream = inflater;
        SourceName = file.SourceName;
        BigEndian = file.BigEndian;
        Context = file.Context;
        this.region = region;
        regionLengthProven = file.lengthKnown;
        this.compressedElementOffset = compressedElementOffset;
        end = MaxInflateRatio * (region.Remaining + 1);
        lengthKnown = false;
    }

    public string SourceName { get; }

    /// <summary>Whether multi-byte values are stored big-endian.</summary>
    public bool BigEndian { get; set; }

    /// <summary>Whether bulk data must be byte-swapped to match this machine.</summary>
    public bool NeedsSwap => BigEndian == BitConverter.IsLittleEndian;

    public IMatErrorContext? Context { get; set; }

    public long Position => position;

    /// <summary>No byte can exist at or beyond this position.</summary>
    public long End => end;

    public static MatSource ForFile(Stream stream, string sourceName)
    {
        bool canSeek = stream.CanSeek;
        long length = long.MaxValue;
        if (canSeek)
        {
            // Offsets in messages are relative to where the MAT data starts, which is the file start for files.
            length = stream.Length - stream.Position;
        }

        return new MatSource(stream, sourceName, canSeek, length, canSeek);
    }

    /// <summary>Starts inflating the <paramref name="length"/> bytes that follow the current position.</summary>
    public MatSource OpenCompressed(long length, long tagOffset)
    {
        var window = new MatRegionStream(this, length);
        var inflater = new ZLibStream(window, CompressionMode.Decompress, leaveOpen: true);
        return new MatSource(inflater, this, window, tagOffset);
    }

    /// <summary>Releases the inflater of a source made by <see cref="OpenCompressed"/>.</summary>
    public void CloseInflater()
    {
        if (region is not null)
        {
            stream.Dispose();
        }
    }

    /// <summary>
    /// Whether an array of <paramref name="bytes"/> may be allocated before its data is read. Where the remaining
    /// length is proven (a seekable file, whose element lengths are checked against it) it always may; inside
    /// compressed data it may only when the compressed bytes left could plausibly hold it, since zlib's 1032:1
    /// bound is far too loose to stop a lying header from allocating gigabytes. Otherwise the caller grows its
    /// array as data arrives.
    /// </summary>
    public bool CanAllocateUpfront(long bytes)
    {
        if (bytes <= UnprovenAllocationFloor)
        {
            return true;
        }

        if (region is null)
        {
            return lengthKnown && bytes <= end - position;
        }

        return regionLengthProven && bytes / 4 <= region.Remaining + InflaterLookAhead;
    }

    /// <summary>Lowers the end once an enclosing length is known, so that later checks are tighter.</summary>
    public void LimitEnd(long newEnd)
    {
        if (newEnd < end)
        {
            end = newEnd;
        }
    }

    public MatFileException Error(long at, string detail)
    {
        string? location = Context?.DescribeLocation();
        string text = location is null ? detail : $"in {location}: {detail}";
        return region is null
            ? new MatFileException(SourceName, at, text)
            : new MatFileException(SourceName, compressedElementOffset, at, text);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the data ends; returns the bytes read.</summary>
    public int ReadAvailable(Span<byte> buffer)
    {
        int done = TakePending(buffer);
        while (done < buffer.Length)
        {
            int got = ReadFromStream(buffer[done..]);
            if (got <= 0)
            {
                break;
            }

            done += got;
            position += got;
        }

        return done;
    }

    public void ReadExactly(Span<byte> buffer)
    {
        int done = TakePending(buffer);
        while (done < buffer.Length)
        {
            int got = ReadFromStream(buffer[done..]);
            if (got <= 0)
            {
                throw Error(position, region is null
                    ? "unexpected end of file"
                    : "compressed data ends before the element it holds is complete");
            }

            done += got;
            position += got;
        }
    }

    /// <summary>For <see cref="MatRegionStream"/>: reads straight from the stream, keeping the position exact.</summary>
    public int ReadRaw(Span<byte> buffer)
    {
        int got = stream.Read(buffer);
        if (got > 0)
        {
            position += got;
        }

        return got;
    }

    /// <summary>Whether no further byte exists (peeking one byte when the length is unknown).</summary>
    public bool AtEnd()
    {
        if (pendingEnd > pendingStart)
        {
            return false;
        }

        if (lengthKnown)
        {
            return position >= end;
        }

        int got = ReadFromStream(pending.AsSpan(0, 1));
        if (got <= 0)
        {
            return true;
        }

        pendingStart = 0;
        pendingEnd = 1;
        return false;
    }

    public uint ReadUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        ReadExactly(b);
        return BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public int ReadInt32() => unchecked((int)ReadUInt32());

    /// <summary>
    /// Reads the tag at the current position and checks that the element fits before
    /// <paramref name="enclosingEnd"/>; a small element's data bytes are then the next bytes read.
    /// </summary>
    /// <param name="enclosingEnd">Position the element must end by.</param>
    /// <param name="what">Names the element in error messages.</param>
    /// <param name="overrunTolerance">
    /// How far a miMATRIX element's declared length may run past <paramref name="enclosingEnd"/>: Octave writes
    /// the length of objects 4 bytes too long, which is harmless for the last variable of a file. Such an
    /// element is bounded by <paramref name="enclosingEnd"/> instead.
    /// </param>
    public MatElementTag ReadTag(long enclosingEnd, string what, int overrunTolerance = 0)
    {
        long at = position;
        enclosingEnd = Math.Min(enclosingEnd, end);
        if (enclosingEnd - at < 8)
        {
            throw Error(at, $"{what}: expected an element tag but only {Math.Max(0, enclosingEnd - at)} byte(s) remain in the enclosing element");
        }

        Span<byte> b = stackalloc byte[8];
        ReadExactly(b);
        uint first = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
        if ((first >> 16) != 0)
        {
            uint smallCount = first >> 16;
            uint smallType = first & 0xFFFF;
            if (smallCount > 4)
            {
                throw Error(at, $"{what}: small data element claims {smallCount} bytes, but at most 4 fit");
            }

            // Hand the four data bytes back so that callers read small and normal elements alike.
            b[4..].CopyTo(pending);
            pendingStart = 0;
            pendingEnd = 4;
            position -= 4;
            return new MatElementTag(smallType, smallCount, at, at + 4, at + 8, IsSmall: true);
        }

        uint type = first;
        long count = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        long dataEnd = at + 8 + count;
        if (dataEnd > enclosingEnd && type == (uint)MatDataType.Matrix && dataEnd - enclosingEnd <= overrunTolerance)
        {
            return new MatElementTag(type, enclosingEnd - at - 8, at, at + 8, enclosingEnd, IsSmall: false);
        }

        if (dataEnd > enclosingEnd)
        {
            string room = enclosingEnd == end && lengthKnown ? "the file" : "the enclosing element";
            throw Error(at, $"{what}: {MatDataTypes.Describe((MatDataType)type)} element claims {count} bytes, but {room} has only {enclosingEnd - at - 8} left");
        }

        // A compressed element is followed by the next one directly; everything else is padded to 8 bytes.
        long padded = type == (uint)MatDataType.Compressed ? dataEnd : at + 8 + ((count + 7) & ~7L);
        return new MatElementTag(type, count, at, at + 8, Math.Min(padded, enclosingEnd), IsSmall: false);
    }

    /// <summary>Moves forward to <paramref name="target"/>, skipping data and padding.</summary>
    /// <param name="target">The position to move to.</param>
    /// <param name="shortfallTolerance">
    /// How many bytes short of <paramref name="target"/> the data may end without an error (see the overrun
    /// tolerance of <see cref="ReadTag"/>; this is the same allowance where the length is not known up front).
    /// </param>
    public void SkipTo(long target, int shortfallTolerance = 0)
    {
        if (target < position)
        {
            throw Error(position, "element data overruns its declared length");
        }

        long toSkip = target - position;
        int fromPending = (int)Math.Min(toSkip, pendingEnd - pendingStart);
        pendingStart += fromPending;
        position += fromPending;
        toSkip -= fromPending;
        if (toSkip == 0)
        {
            return;
        }

        if (canSeek && region is null && lengthKnown && target <= end)
        {
            stream.Seek(toSkip, SeekOrigin.Current);
            position = target;
            return;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent((int)Math.Min(toSkip, 1 << 16));
        try
        {
            while (toSkip > 0)
            {
                int chunk = (int)Math.Min(toSkip, scratch.Length);
                if (toSkip <= shortfallTolerance)
                {
                    int got = ReadAvailable(scratch.AsSpan(0, chunk));
                    toSkip -= got;
                    if (got < chunk)
                    {
                        return;
                    }

                    continue;
                }

                ReadExactly(scratch.AsSpan(0, chunk));
                toSkip -= chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int TakePending(Span<byte> buffer)
    {
        int available = pendingEnd - pendingStart;
        if (available == 0)
        {
            return 0;
        }

        int take = Math.Min(available, buffer.Length);
        pending.AsSpan(pendingStart, take).CopyTo(buffer);
        pendingStart += take;
        position += take;
        return take;
    }

    private int ReadFromStream(Span<byte> buffer)
    {
        if (region is null)
        {
            return stream.Read(buffer);
        }

        try
        {
            return stream.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw Error(position, $"corrupt compressed data ({e.Message})");
        }
        catch (IOException e)
        {
            // zlib reports some stream states as ZLibException, an IOException.
            throw Error(position, $"corrupt compressed data ({e.Message})");
        }
    }
}
