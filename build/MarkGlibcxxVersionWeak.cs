using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// MSBuild inline task: sets VER_FLG_WEAK on one version requirement (vna_flags in SHT_GNU_verneed) of
// 64-bit little-endian ELF files. Written against the ELF gABI and the LSB "Symbol Versioning" chapter.
public class MarkGlibcxxVersionWeak : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    // Published copies (a tool package among them) run on other machines, whose libstdc++ may lack the version even
    // when this one has it; a weak requirement changes nothing where the version exists.
    public bool EvenWhenSystemHasIt { get; set; }

    public override bool Execute()
    {
        if (!EvenWhenSystemHasIt && SystemLibstdcxxHas(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; nothing to patch.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                int changed = MarkWeak(elf, VersionName);
                if (changed < 0)
                {
                    Log.LogMessage(MessageImportance.Low, path + ": already weak or no " + VersionName + " requirement.");
                    continue;
                }
                string temp = path + ".patching";
                File.WriteAllBytes(temp, elf);
                File.Replace(temp, path, null);
                Log.LogMessage(MessageImportance.High, "Marked " + VersionName + " weak in " + path);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Cannot patch " + path + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLibstdcxxHas(string version)
    {
        string[] candidates = {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" };
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string c in candidates)
        {
            if (!File.Exists(c)) continue;
            byte[] data = File.ReadAllBytes(c);
            return IndexOf(data, needle) >= 0;
        }
        return false;
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    // Returns the number of entries changed, or -1 when there was nothing to change.
    static int MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        int changed = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = Check(elf, (long)shoff + (long)s * shentsize, 64);
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            long secOff = (long)U64(elf, sh + 0x18);
            uint link = U32(elf, sh + 0x28);
            long strSh = Check(elf, (long)shoff + (long)link * shentsize, 64);
            long strOff = (long)U64(elf, strSh + 0x18);
            long need = secOff;
            for (int guard = 0; guard < 4096; guard++)
            {
                Check(elf, need, 16);
                int cnt = U16(elf, need + 2);
                long aux = need + U32(elf, need + 8);
                for (int a = 0; a < cnt; a++)
                {
                    Check(elf, aux, 16);
                    string name = CString(elf, strOff + U32(elf, aux + 8));
                    if (name == version && (U16(elf, aux + 4) & VerFlgWeak) == 0)
                    {
                        int flags = U16(elf, aux + 4) | VerFlgWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        changed++;
                    }
                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(elf, need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return changed == 0 ? -1 : changed;
    }

    static long Check(byte[] b, long off, int len)
    {
        if (off < 0 || off + len > b.Length) throw new InvalidDataException("truncated ELF structure at offset " + off);
        return off;
    }
    static int U16(byte[] b, long o) { Check(b, o, 2); return b[o] | (b[o + 1] << 8); }
    static uint U32(byte[] b, long o) { Check(b, o, 4); return BitConverter.ToUInt32(b, (int)o); }
    static ulong U64(byte[] b, long o) { Check(b, o, 8); return BitConverter.ToUInt64(b, (int)o); }
    static string CString(byte[] b, long o)
    {
        Check(b, o, 1);
        long end = o;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
    }
}
