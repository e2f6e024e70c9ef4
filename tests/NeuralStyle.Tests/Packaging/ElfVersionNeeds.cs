using System.Buffers.Binary;
using System.Text;

namespace NeuralStyle.Tests.Packaging;

/// <summary>
/// Reads the version requirements (SHT_GNU_verneed) of a 64-bit little-endian ELF file: which versions of which
/// libraries it needs, and whether each requirement is weak (VER_FLG_WEAK). Written from the ELF gABI and the LSB's
/// "Symbol Versioning", independently of build/MarkGlibcxxVersionWeak.cs, whose work it checks.
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Every required version name with its weak flag.</summary>
    public static IReadOnlyList<(string Version, bool Weak)> Read(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file");
        }

        ReadOnlySpan<byte> b = elf;
        long sectionHeaders = (long)BinaryPrimitives.ReadUInt64LittleEndian(b[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(b[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(b[0x3C..]);
        var found = new List<(string, bool)>();
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<byte> header = b.Slice((int)(sectionHeaders + (s * entrySize)), 64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            int strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.Slice((int)(sectionHeaders + (BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]) * entrySize)), 64)[0x18..]);
            // sh_info: the number of libraries with requirements.
            int libraries = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            for (int need = offset, n = 0; n < libraries; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(b[(need + 2)..]);
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(b[(aux + 4)..]);
                    int name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(aux + 8)..]);
                    found.Add((Encoding.ASCII.GetString(b[name..(name + b[name..].IndexOf((byte)0))]), (flags & VerFlgWeak) != 0));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(aux + 12)..]);
                }

                uint next = BinaryPrimitives.ReadUInt32LittleEndian(b[(need + 12)..]);
                if (next == 0)
                {
                    break;
                }

                need += (int)next;
            }
        }

        return found;
    }
}
