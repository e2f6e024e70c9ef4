namespace NeuralStyle.Tests.Support;

/// <summary>A write-only stream that passes <c>capacity</c> bytes through and then fails as a full disk does.</summary>
public sealed class FullDiskStream(Stream inner, long capacity) : Stream
{
    private long _written;

    public const string Message = "No space left on device";

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long room = Math.Max(0, capacity - _written);
        if (buffer.Length > room)
        {
            inner.Write(buffer[..(int)room]);
            _written += room;
            throw new IOException(Message);
        }

        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
