using System.Buffers.Binary;

namespace NeuralStyle.Weights.Npy;

/// <summary>The element types the reader accepts, each converted to float32 as it is read.</summary>
internal sealed record NpyDtype(string Descr, int ItemSize, NpyDtype.Decoder Decode)
{
    /// <summary>Converts <c>source.Length / ItemSize</c> elements into <c>target</c>.</summary>
    public delegate void Decoder(ReadOnlySpan<byte> source, Span<float> target);

    private static readonly NpyDtype[] Supported =
    [
        new("<f4", 4, static (s, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]);
            }
        }),
        new("<f8", 8, static (s, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(s[(8 * i)..]);
            }
        }),
        new("<f2", 2, static (s, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(s[(2 * i)..]);
            }
        }),
        new("<i8", 8, static (s, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = BinaryPrimitives.ReadInt64LittleEndian(s[(8 * i)..]);
            }
        }),
        new("<i4", 4, static (s, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]);
            }
        }),
        new("|u1", 1, static (s, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = s[i];
            }
        }),
    ];

    /// <summary>The accepted descr strings, for messages.</summary>
    public static string Names => string.Join(", ", Supported.Select(d => $"'{d.Descr}'"));

    /// <summary>The dtype for <paramref name="descr"/>, or null with the reason it is not supported.</summary>
    public static NpyDtype? Find(string descr, out string? reason)
    {
        reason = null;
        NpyDtype? found = Supported.FirstOrDefault(d => d.Descr == descr);
        if (found is not null)
        {
            return found;
        }

        // '=' is native order and '|' "not applicable"; both mean little-endian here for multi-byte types.
        if (descr.Length >= 2 && descr[0] is '=' or '|' && Supported.FirstOrDefault(d => d.Descr[1..] == descr[1..]) is { } native)
        {
            return native;
        }

        reason = descr.Length > 0 && descr[0] == '>'
            ? $"big-endian dtype '{descr}' is not supported (re-save with a little-endian dtype, for example arr.astype('<f4'))"
            : descr.Contains('O', StringComparison.Ordinal)
                ? $"object dtype '{descr}' is not supported (the file holds pickled Python objects, not numbers)"
                : $"dtype '{descr}' is not supported; the supported dtypes are {Names}";
        return null;
    }
}
