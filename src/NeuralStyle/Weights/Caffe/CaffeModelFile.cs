using Google.Protobuf;

namespace NeuralStyle.Weights.Caffe;

/// <summary>Reads Caffe <c>.caffemodel</c> files: a binary protobuf NetParameter, with V1 <c>layers</c> (field 2) or V2 <c>layer</c> (field 100).</summary>
/// <remarks>
/// <para>Field numbers are caffe.proto's (BVLC/caffe): NetParameter name = 1, layers = 2, layer = 100;
/// LayerParameter name = 1, type = 2 (string), bottom = 3, top = 4, blobs = 7; V1LayerParameter bottom = 2,
/// top = 3, name = 4, type = 5 (enum), blobs = 6; everything else, including the V0 layer that old V1 layers
/// carry in field 1, is skipped.</para>
/// <para>Memory: the file is streamed once through <see cref="CodedInputStream"/> (never held in memory), and each
/// blob's values go into its tensor through a bounded buffer. Every length prefix is checked against the file's
/// size and its enclosing message before anything is allocated for it.</para>
/// </remarks>
public static class CaffeModelFile
{
    /// <summary>Reads every layer of <paramref name="path"/>, with its blobs as float32 tensors.</summary>
    /// <exception cref="CaffeFormatException">The file is not a Caffe NetParameter, is truncated or damaged, or holds no layer with blobs; the message names the file, the problem and its offset.</exception>
    public static CaffeModel Read(string path) => Read(path, null);

    /// <summary>Reads every layer of <paramref name="path"/>, with the blobs of the layers <paramref name="keepBlobsOf"/> accepts (all when null); the others' blobs are skipped unread.</summary>
    /// <exception cref="CaffeFormatException">The file is not a Caffe NetParameter, is truncated or damaged, or holds no layer with blobs; the message names the file, the problem and its offset.</exception>
    public static CaffeModel Read(string path, Func<string, bool>? keepBlobsOf)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!BitConverter.IsLittleEndian)
        {
            // Packed floats are taken from the wire two at a time as one little-endian fixed64 (CaffeBlobReader).
            throw new PlatformNotSupportedException(".caffemodel files are read on little-endian machines only");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var wire = new CaffeWireReader(stream, path);
        var layers = new List<CaffeLayer>();
        try
        {
            string name = ReadNet(wire, layers, keepBlobsOf);
            if (keepBlobsOf is null && !layers.Any(l => l.Blobs.Count > 0))
            {
                throw new CaffeFormatException(path, layers.Count == 0
                    ? "the file holds no Caffe layers (neither V1 'layers' nor V2 'layer' messages); it is not a .caffemodel"
                    : $"none of the file's {layers.Count} layers has blobs: it is a net definition without weights (a .prototxt saved in binary?)");
            }

            return new CaffeModel(path, name, layers);
        }
        catch (Exception ex)
        {
            foreach (CaffeBlob blob in layers.SelectMany(l => l.Blobs))
            {
                blob.Dispose();
            }

            if (ex is InvalidProtocolBufferException)
            {
                throw wire.Error($"not a valid protobuf NetParameter: the file is truncated, damaged or of another format ({ex.Message})", wire.Position, ex);
            }

            throw;
        }
    }

    private static string ReadNet(CaffeWireReader wire, List<CaffeLayer> layers, Func<string, bool>? keepBlobsOf)
    {
        using var blobs = new CaffeBlobReader(wire);
        long end = wire.FileLength;
        string name = string.Empty;
        while (wire.NextField(end, out int field, out WireFormat.WireType type))
        {
            long at = wire.Position;
            switch (field)
            {
                case 1:
                    wire.Expect(type, WireFormat.WireType.LengthDelimited, "the net's name", at);
                    name = wire.ReadString(end, "the net's name");
                    break;
                case 2 or 100:
                    string what = field == 2 ? $"V1 layer #{layers.Count + 1}" : $"layer #{layers.Count + 1}";
                    wire.Expect(type, WireFormat.WireType.LengthDelimited, what, at);
                    layers.Add(CaffeLayerReader.Read(wire, blobs, wire.ReadLength(end, what), what, v1: field == 2, keepBlobsOf));
                    break;
                default:
                    wire.SkipField(end, field);
                    break;
            }

            wire.CheckInside(end, at);
        }

        return name;
    }
}
