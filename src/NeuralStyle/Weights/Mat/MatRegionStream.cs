namespace NeuralStyle.Weights.Mat;

/// <summary>
/// A read-only window of a compressed element's bytes over the file source, so that the inflater can never read
/// into the next element and the file source's position stays exact while it reads.
/// </summary>
internal sealed class MatRegionStream : Stream
{
    private readonly MatSource owner;
    private long remaining;

    public MatRegionStream(MatSource owner, long length)
    {
        this.owner = owner;
        remaining = length;
    }

    /// <summary>Compressed bytes not yet handed to the inflater.</summary>
    public long Remaining => remaining;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        int wanted = (int)Math.Min(buffer.Length, remaining);
        int got = owner.ReadRaw(buffer[..wanted]);
        remaining -= got;
        return got;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
