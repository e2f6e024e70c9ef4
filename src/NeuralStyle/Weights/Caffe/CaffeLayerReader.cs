using Google.Protobuf;

namespace NeuralStyle.Weights.Caffe;

/// <summary>Decodes one LayerParameter (V2) or V1LayerParameter message into a <see cref="CaffeLayer"/>.</summary>
internal static class CaffeLayerReader
{
    /// <summary>Reads the layer message that ends at <paramref name="end"/>; on failure the blobs read so far are freed.</summary>
    /// <param name="wire">The file's wire reader, positioned at the message's first field.</param>
    /// <param name="blobReader">Decodes BlobProto messages.</param>
    /// <param name="end">The message's end offset.</param>
    /// <param name="what">The layer's description for messages until its name is read.</param>
    /// <param name="v1">A V1LayerParameter (field numbers differ).</param>
    /// <param name="keepBlobs">When given, the blobs of a layer whose name it refuses are skipped unread (Caffe writes a layer's name before its blobs).</param>
    public static CaffeLayer Read(CaffeWireReader wire, CaffeBlobReader blobReader, long end, string what, bool v1, Func<string, bool>? keepBlobs = null)
    {
        // Field numbers differ between the versions: V2 name 1, type 2 (string), bottom 3, top 4, blobs 7;
        // V1 bottom 2, top 3, name 4, type 5 (enum), blobs 6.
        int nameField = v1 ? 4 : 1, typeField = v1 ? 5 : 2, bottomField = v1 ? 2 : 3, topField = v1 ? 3 : 4, blobsField = v1 ? 6 : 7;
        string name = string.Empty, type = string.Empty;
        var bottoms = new List<string>();
        var tops = new List<string>();
        var blobs = new List<CaffeBlob>();
        try
        {
            while (wire.NextField(end, out int field, out WireFormat.WireType wireType))
            {
                long at = wire.Position;
                string label = name.Length > 0 ? $"layer '{name}'" : what;
                if (field == nameField)
                {
                    wire.Expect(wireType, WireFormat.WireType.LengthDelimited, $"{label}: name", at);
                    name = wire.ReadString(end, $"{label}: name");
                }
                else if (field == typeField && v1)
                {
                    wire.Expect(wireType, WireFormat.WireType.Varint, $"{label}: type", at);
                    type = CaffeV1LayerTypes.Name(wire.ReadInt64());
                }
                else if (field == typeField)
                {
                    wire.Expect(wireType, WireFormat.WireType.LengthDelimited, $"{label}: type", at);
                    type = wire.ReadString(end, $"{label}: type");
                }
                else if (field == bottomField || field == topField)
                {
                    wire.Expect(wireType, WireFormat.WireType.LengthDelimited, $"{label}: bottom/top", at);
                    (field == bottomField ? bottoms : tops).Add(wire.ReadString(end, $"{label}: bottom/top"));
                }
                else if (field == blobsField)
                {
                    string blob = $"{label}, blob {blobs.Count}";
                    wire.Expect(wireType, WireFormat.WireType.LengthDelimited, blob, at);
                    if (keepBlobs is not null && name.Length > 0 && !keepBlobs(name))
                    {
                        wire.SkipField(end, field);
                    }
                    else
                    {
                        blobs.Add(blobReader.Read(wire.ReadLength(end, blob), blob));
                    }
                }
                else
                {
                    wire.SkipField(end, field);
                }

                wire.CheckInside(end, at);
            }

            return new CaffeLayer(name, type, bottoms, tops, blobs);
        }
        catch
        {
            foreach (CaffeBlob blob in blobs)
            {
                blob.Dispose();
            }

            throw;
        }
    }
}
