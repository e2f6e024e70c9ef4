using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using static NeuralStyle.Tests.Weights.PyTorchRefusal;
using static NeuralStyle.Tests.Weights.LegacyPyTorchReadTests;

namespace NeuralStyle.Tests.Weights;

/// <summary>
/// Legacy torch.save files doctored at the offsets layout.json gives (found by Python's pickle module, not by the
/// reader under test), and hand-written hostile ones: each must be refused quickly, naming the file, the problem and
/// where it is.
/// </summary>
public sealed class LegacyPyTorchHostileTests : IDisposable
{
    private const string HostileMarker = "/tmp/neural-style-legacy-hostile-ran";

    private static readonly JsonElement Layouts = JsonDocument.Parse(File.ReadAllText(Legacy("layout.json"))).RootElement;

    private readonly TempDirectory temp = new();

    [Fact]
    public void A_pickle_that_calls_posix_system_is_refused_and_nothing_runs()
    {
        File.Delete(HostileMarker);

        string message = Refused(Legacy("reject_hostile.pth"));

        Assert.Contains($"the object pickle (from file byte {Pickle("reject_hostile.pth", 3)})", message);
        Assert.Contains("calls posix.system", message);
        Assert.False(File.Exists(HostileMarker), "the hostile pickle's command ran");
    }

    [Theory]
    [InlineData(2, "os", "system", "the sys_info pickle")]
    [InlineData(3, "builtins", "eval", "the object pickle")]
    [InlineData(3, "subprocess", "check_output", "the object pickle")]
    [InlineData(4, "builtins", "exec", "the storage key list pickle")]
    public void A_call_of_an_unknown_global_in_any_pickle_is_refused(int pickle, string module, string name, string where)
    {
        // GLOBAL module.name, the argument 'true', TUPLE1, REDUCE, STOP in place of one of the five pickles.
        byte[] call = [0x80, 0x02, 0x63, .. Encoding.ASCII.GetBytes($"{module}\n{name}\n"), 0x8C, 4, .. "true"u8, 0x85, 0x52, 0x2E];
        string path = Doctored("tiny_net.pth", b => Splice(b, Pickle("tiny_net.pth", pickle), PickleEnd("tiny_net.pth", pickle), call));

        string message = Refused(path);

        Assert.Contains($"{where} (from file byte {Pickle("tiny_net.pth", pickle)})", message);
        Assert.Contains($"calls {module}.{name}", message);
    }

    [Fact]
    public void A_file_whose_magic_pickle_is_replaced_is_not_taken_for_a_legacy_file()
    {
        byte[] call = [0x80, 0x02, 0x63, .. "os\nsystem\n"u8, 0x8C, 4, .. "true"u8, 0x85, 0x52, 0x2E];
        string path = Doctored("tiny_net.pth", b => Splice(b, 0, PickleEnd("tiny_net.pth", 0), call));

        Assert.Contains("bare pickle", Refused(path));
    }

    [Fact]
    public void A_pickled_module_is_refused_with_the_reason()
    {
        Assert.Contains("TinyNet object (torch.save(model) saves the whole module)", Refused(Legacy("reject_whole_module.pth")));
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        int at = Pickle("tiny_net.pth", 1);
        // PROTO 2, BININT2 1001, STOP: the version becomes 1000.
        string path = Doctored("tiny_net.pth", b => Patch(b, at + 3, [0xE8, 0x03], expected: [0xE9, 0x03]));

        Assert.Contains($"byte {at}: the legacy torch.save format version is the integer 1000; only 1001 exists", Refused(path));
    }

    [Fact]
    public void A_big_endian_file_is_refused()
    {
        // 'little_endian', BINPUT 2, NEWTRUE becomes NEWFALSE.
        byte[] find = [.. "little_endian"u8, 0x71, 0x02, 0x88];
        string path = Doctored("tiny_net.pth", b => Replace(b, find, [.. find[..^1], 0x89]));

        string message = Refused(path);
        Assert.Contains($"byte {Pickle("tiny_net.pth", 2)}: sys_info says the file was written on a big-endian machine (little_endian: False)", message);
    }

    [Fact]
    public void A_storage_whose_count_differs_from_its_declaration_is_refused()
    {
        JsonElement first = Storage("tiny_net.pth", 0);
        long header = first.GetProperty("header").GetInt64(), numel = first.GetProperty("numel").GetInt64();
        string path = Doctored("tiny_net.pth", b => Int64At(b, header, numel + 1));

        Assert.Contains($"byte {header}: storage '{first.GetProperty("key").GetString()}' (1 of 9) holds {numel + 1} elements, the object pickle's tensors declare {numel}", Refused(path));
    }

    [Fact]
    public void A_storage_larger_than_the_file_is_refused_before_anything_is_allocated()
    {
        // conv.weight's storage declares 108 elements (BININT1 108 after 'cpu', memo 7); make it 2^31 - 1 (BININT), header too.
        JsonElement first = Storage("tiny_net.pth", 0);
        long header = first.GetProperty("header").GetInt64() + 3;
        string path = Doctored("tiny_net.pth", b => Int64At(Replace(b, [0x71, 0x07, 0x4B, 0x6C, 0x4E], [0x71, 0x07, 0x4A, 0xFF, 0xFF, 0xFF, 0x7F, 0x4E]), header, int.MaxValue));

        Assert.Contains($"byte {header + 8}: storage '{first.GetProperty("key").GetString()}' (1 of 9) needs 2147483647 x 4 bytes", Refused(path));
    }

    [Fact]
    public void Truncations_anywhere_are_refused()
    {
        long end = Layouts.GetProperty("tiny_net.pth").GetProperty("end").GetInt64();
        long data = Layouts.GetProperty("tiny_net.pth").GetProperty("data").GetInt64();
        long firstData = Storage("tiny_net.pth", 0).GetProperty("header").GetInt64() + 8;
        (long Length, string Reason)[] cuts =
        [
            (Pickle("tiny_net.pth", 3) + 40, "the file ends inside its pickles (truncated?)"),
            (Pickle("tiny_net.pth", 4) + 3, "the file ends inside its pickles (truncated?)"),
            (data, $"byte {data}: the file ends before storage"),
            (data + 5, $"byte {data}: the file ends before storage"),
            (firstData + 100, $"byte {firstData}: storage"),
            (end - 1, "left (truncated?)"),
        ];
        byte[] bytes = File.ReadAllBytes(Legacy("tiny_net.pth"));
        foreach ((long length, string reason) in cuts)
        {
            string path = temp.File($"cut-{length}.pth");
            File.WriteAllBytes(path, bytes[..(int)length]);
            Assert.Contains(reason, Refused(path));
        }
    }

    [Fact]
    public void Bytes_after_the_last_storage_are_refused()
    {
        long end = Layouts.GetProperty("tiny_net.pth").GetProperty("end").GetInt64();
        string path = Doctored("tiny_net.pth", b => [.. b, 1, 2, 3]);

        Assert.Contains($"byte {end}: 3 bytes follow the last storage", Refused(path));
    }

    [Fact]
    public void A_key_list_that_does_not_match_the_storages_is_refused()
    {
        string[] keys = [.. Layouts.GetProperty("tiny_net.pth").GetProperty("storages").EnumerateArray().Select(s => s.GetProperty("key").GetString()!)];
        int at = Pickle("tiny_net.pth", 4);

        string KeyList(params string[] names) => Refused(Doctored("tiny_net.pth", b => Splice(b, at, PickleEnd("tiny_net.pth", 4), KeyListPickle(names))));

        Assert.Contains($"byte {at}: the storage key list names 0 storages, the object pickle uses 9", KeyList());
        Assert.Contains($"the storage key list names 8 storages, the object pickle uses 9 ('{keys[^1]}' is not listed)", KeyList(keys[..^1]));
        Assert.Contains("the storage key list names 'nope', which no tensor in the object pickle uses", KeyList([.. keys, "nope"]));
        Assert.Contains("the storage key list names a storage twice", KeyList([.. keys, keys[0]]));
    }

    [Fact]
    public void An_unknown_storage_type_is_refused()
    {
        string path = Doctored("tiny_net.pth", b => Replace(b, "\nFloatStorage\n"u8.ToArray(), "\nFloatStoragX\n"u8.ToArray()));

        Assert.Contains("storage type the global torch.FloatStoragX is not a torch storage type this reader knows", Refused(path));
    }

    [Fact]
    public void A_view_beyond_its_storage_is_refused()
    {
        // The one storage of views.pth declares 24 elements (BININT1 24, no view: NONE, TUPLE); shrunk to 20 with its
        // header and its bytes, the views that reach elements 20..23 are out of bounds.
        JsonElement storage = Storage("views.pth", 0);
        long header = storage.GetProperty("header").GetInt64();
        string path = Doctored("views.pth", b => Int64At(Replace(b, [0x4B, 0x18, 0x4E, 0x74], [0x4B, 0x14, 0x4E, 0x74]), header, 20)[..^16]);

        Assert.Contains("tensor 'column' (size [4], stride [6], offset 2) reaches element 20 of a storage of 20", Refused(path));
    }

    [Fact]
    public void An_old_storage_view_beyond_its_storage_is_refused()
    {
        // View 'v1' (BINPUT 8) is elements 1..7 of the 10 of 'root'; make it 1..11.
        string path = Doctored("storage_view.pth", b => Replace(b, [0x71, 0x08, 0x4B, 0x01, 0x4B, 0x06, 0x87], [0x71, 0x08, 0x4B, 0x01, 0x4B, 0x0A, 0x87]));

        Assert.Contains("storage view 'v1' (elements 1 to 11) reaches beyond its storage 'root' of 10", Refused(path));
    }

    [Fact]
    public void The_tar_format_of_the_first_pytorch_versions_is_named()
    {
        string path = temp.File("tar.pth");
        using (var tar = new System.Formats.Tar.TarWriter(File.Create(path)))
        {
            foreach (string name in new[] { "sys_info", "pickle", "tensors", "storages" })
            {
                tar.WriteEntry(new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream([0x80, 0x02, 0x4E, 0x2E]) });
            }
        }

        Assert.Contains("a tar archive: the torch.save format of PyTorch before 0.1.10", Refused(path));
    }

    public void Dispose() => temp.Dispose();

    private static int Pickle(string file, int index) => Layouts.GetProperty(file).GetProperty("pickles")[index].GetInt32();

    private static int PickleEnd(string file, int index) => index < 4 ? Pickle(file, index + 1) : Layouts.GetProperty(file).GetProperty("data").GetInt32();

    private static JsonElement Storage(string file, int index) => Layouts.GetProperty(file).GetProperty("storages")[index];

    private string Doctored(string fixture, Func<byte[], byte[]> change)
    {
        string path = temp.File($"doctored-{Guid.NewGuid():N}-{fixture}");
        File.WriteAllBytes(path, change(File.ReadAllBytes(Legacy(fixture))));
        return path;
    }

    private static byte[] Splice(byte[] data, int from, int to, byte[] with) => [.. data[..from], .. with, .. data[to..]];

    private static byte[] Patch(byte[] data, int at, byte[] with, byte[] expected)
    {
        Assert.Equal(expected, data[at..(at + expected.Length)]);
        byte[] result = [.. data];
        with.CopyTo(result, at);
        return result;
    }

    private static byte[] Int64At(byte[] data, long at, long value)
    {
        byte[] result = [.. data];
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan((int)at, 8), value);
        return result;
    }

    /// <summary>Every occurrence of <paramref name="find"/> replaced (there must be one at least).</summary>
    private static byte[] Replace(byte[] data, byte[] find, byte[] with)
    {
        var result = new List<byte>(data.Length);
        int count = 0;
        for (int at = 0; at < data.Length;)
        {
            if (data.AsSpan(at).StartsWith(find))
            {
                result.AddRange(with);
                at += find.Length;
                count++;
            }
            else
            {
                result.Add(data[at++]);
            }
        }

        Assert.True(count > 0, "the pattern to doctor does not occur");
        return [.. result];
    }

    /// <summary>The protocol-2 pickle of a list of strings: PROTO 2, EMPTY_LIST, MARK, SHORT_BINUNICODE each, APPENDS, STOP.</summary>
    private static byte[] KeyListPickle(string[] keys)
    {
        var p = new List<byte> { 0x80, 0x02, 0x5D, 0x28 };
        foreach (string key in keys)
        {
            byte[] text = Encoding.UTF8.GetBytes(key);
            p.Add(0x8C);
            p.Add((byte)text.Length);
            p.AddRange(text);
        }

        p.AddRange([0x65, 0x2E]);
        return [.. p];
    }
}
