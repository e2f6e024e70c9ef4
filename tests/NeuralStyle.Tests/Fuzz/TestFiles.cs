using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using NeuralStyle.Tests.Mat;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>Small hand-made files for the fuzz findings' regression tests.</summary>
internal static class TestFiles
{
    /// <summary>A version 1.0 .npy file with <paramref name="header"/> as its dictionary and <paramref name="dataBytes"/> zero bytes of data.</summary>
    public static byte[] Npy(string header, int dataBytes)
    {
        byte[] text = Encoding.Latin1.GetBytes(header + "\n");
        byte[] bytes = new byte[10 + text.Length + dataBytes];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        text.CopyTo(bytes, 10);
        return bytes;
    }

    /// <summary>
    /// A state file in the layout TransferStateFile wrote when these tests were made ("NSSTATE2", header length, JSON,
    /// tensors, SHA-256 of all that): a reader of a later layout refuses it some other way, which these tests accept.
    /// </summary>
    public static byte[] State(string json, params (long[] Dims, float[] Values)[] tensors) => SignedState("NSSTATE2", json, tensors);

    /// <summary>As <see cref="State"/>, with the 8-byte <paramref name="signature"/> of a given format ("NSSTATE3" has the parameters).</summary>
    public static byte[] SignedState(string signature, string json, params (long[] Dims, float[] Values)[] tensors)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(signature));
            byte[] header = Encoding.UTF8.GetBytes(json);
            writer.Write(header.Length);
            writer.Write(header);
            foreach ((long[] dims, float[] values) in tensors)
            {
                writer.Write(dims.Length);
                foreach (long d in dims)
                {
                    writer.Write(d);
                }

                foreach (float v in values)
                {
                    writer.Write(v);
                }
            }
        }

        byte[] body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    /// <summary>The JSON header of a state file holding just <paramref name="tensors"/>, from a 5x4 run.</summary>
    public static string StateHeader(params string[] tensors) =>
        "{\"Origin\":{\"NetworkSha256\":\"" + new string('0', 64) + "\",\"Network\":\"n.mat\",\"Width\":5,\"Height\":4,\"Options\":{}},"
        + "\"CompletedIterations\":0,\"BestLoss\":0,\"AverageSteps\":0,\"AdamStep\":0,\"Lbfgs\":null,\"Tensors\":["
        + string.Join(',', tensors.Select(t => $"\"{t}\"")) + "]}";

    /// <summary>A torch.save archive around <paramref name="pickle"/>, with storage '0' holding <paramref name="storage"/>.</summary>
    public static byte[] Checkpoint(byte[] pickle, byte[] storage)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "archive/data.pkl", pickle);
            Add(zip, "archive/byteorder", "little"u8.ToArray());
            Add(zip, "archive/data/0", storage);
            Add(zip, "archive/version", "3\n"u8.ToArray());
        }

        return output.ToArray();

        static void Add(ZipArchive zip, string name, byte[] data)
        {
            using Stream s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            s.Write(data);
        }
    }

    /// <summary>
    /// The pickle torch.save writes for {key: tensor} with one float storage '0' of <paramref name="storageElements"/>
    /// elements, viewed with the given size and stride (protocol 2; sizes as 4-byte integers).
    /// </summary>
    public static byte[] StateDictPickle(string key, long storageElements, int[] size, int[] stride)
    {
        var p = new List<byte> { 0x80, 0x02, 0x7D }; // PROTO 2, EMPTY_DICT
        Text(p, key);
        p.AddRange("ctorch._utils\n_rebuild_tensor_v2\n"u8.ToArray());
        p.Add(0x28); // MARK (arguments)
        p.Add(0x28); // MARK (persistent id)
        Text(p, "storage");
        p.AddRange("ctorch\nFloatStorage\n"u8.ToArray());
        Text(p, "0");
        Text(p, "cpu");
        Int(p, (int)storageElements);
        p.AddRange([0x74, 0x51]); // TUPLE, BINPERSID
        Int(p, 0); // storage offset
        Tuple(p, size);
        Tuple(p, stride);
        p.Add(0x89); // NEWFALSE: requires_grad
        p.AddRange("ccollections\nOrderedDict\n"u8.ToArray());
        p.AddRange([0x29, 0x52]); // EMPTY_TUPLE, REDUCE: the backward hooks
        p.AddRange([0x74, 0x52, 0x73, 0x2E]); // TUPLE, REDUCE, SETITEM, STOP
        return [.. p];
    }

    /// <summary>The pickle of {key: 1}, a dict that is not a state dict.</summary>
    public static byte[] IntegerDictPickle(string key)
    {
        var p = new List<byte> { 0x80, 0x02, 0x7D };
        Text(p, key);
        Int(p, 1);
        p.AddRange([0x73, 0x2E]); // SETITEM, STOP
        return [.. p];
    }

    /// <summary>A MatConvNet network of one 3-input convolution (and a ReLU), in the beta16 layout.</summary>
    public static byte[] Network(MatTestWriter w, byte[] kernel, byte[] bias, byte[]? normalization = null)
    {
        byte[] conv = w.Struct("", ["name", "type", "weights"], Chars(w, "conv1_1"), Chars(w, "conv"), w.Cell("", [1, 2], kernel, bias));
        byte[] relu = w.Struct("", ["name", "type"], Chars(w, "relu1_1"), Chars(w, "relu"));
        return w.File(w.Cell("layers", [1, 2], conv, relu), normalization ?? Normalization(w));
    }

    public static byte[] Normalization(MatTestWriter w) =>
        w.Struct("normalization", ["averageImage"], w.Double("", [1, 1, 3], [10, 20, 30]));

    public static byte[] Chars(MatTestWriter w, string text) =>
        w.Matrix(4, [1, text.Length], "", w.Element(4, Encoding.Unicode.GetBytes(text)));

    private static void Text(List<byte> p, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        p.Add(0x58); // BINUNICODE
        p.AddRange(BitConverter.GetBytes(bytes.Length));
        p.AddRange(bytes);
    }

    private static void Int(List<byte> p, int value)
    {
        p.Add(0x4A); // BININT
        p.AddRange(BitConverter.GetBytes(value));
    }

    private static void Tuple(List<byte> p, int[] values)
    {
        p.Add(0x28); // MARK
        foreach (int v in values)
        {
            Int(p, v);
        }

        p.Add(0x74); // TUPLE
    }
}
