using NeuralStyle.Weights.Mat;

namespace NeuralStyle.Weights.MatConvNet;

/// <summary>Reads a MatConvNet SimpleNN network (e.g. imagenet-vgg-verydeep-19.mat) in its old and current layouts.</summary>
/// <remarks>
/// The old (beta16) layout has top-level <c>layers</c>, <c>normalization</c> and <c>classes</c>; the current one has
/// <c>layers</c> and <c>meta</c> (with <c>meta.normalization</c>). Struct fields are looked up by name, never by
/// position, because the two layouts order them differently.
/// </remarks>
public sealed class MatConvNetFile
{
    private MatConvNetFile(string path, IReadOnlyList<MatConvNetLayer> layers, float[] meanPixel)
    {
        FilePath = path;
        Layers = layers;
        MeanPixel = meanPixel;
    }

    /// <summary>The file read.</summary>
    public string FilePath { get; }

    /// <summary>The layers, in file order, up to the requested last one.</summary>
    public IReadOnlyList<MatConvNetLayer> Layers { get; }

    /// <summary>Mean of <c>averageImage</c> over its spatial axes (RGB).</summary>
    public float[] MeanPixel { get; }

    /// <summary>Reads the network; layers after <paramref name="lastLayer"/> (when given) are not converted.</summary>
    public static MatConvNetFile Read(string path, string? lastLayer = null) =>
        Read(path, lastLayer is null ? null : [lastLayer]);

    /// <summary>Reads the network up to the last of <paramref name="needed"/> in file order (all layers when null).</summary>
    public static MatConvNetFile Read(string path, IReadOnlyCollection<string>? needed)
    {
        MatFileContents mat = MatFile.Read(path);
        if (!mat.Variables.TryGetValue("layers", out MatArray? layersVar))
        {
            throw new NetworkFormatException(path, "no variable 'layers': not a MatConvNet SimpleNN network file");
        }

        float[] mean = ReadMeanPixel(path, mat);
        var layers = new List<MatConvNetLayer>();
        var missing = new HashSet<string>(needed ?? [], StringComparer.Ordinal);
        foreach (Func<string, MatArray?> entry in LayerStructs(path, layersVar))
        {
            MatConvNetLayer layer = ReadLayer(path, entry, layers.Count);
            layers.Add(layer);
            if (missing.Remove(layer.Name) && missing.Count == 0)
            {
                break;
            }
        }

        if (missing.Count > 0)
        {
            throw new NetworkFormatException(path, $"the network has no layer {string.Join(", ", missing.Select(m => $"'{m}'"))} (it has: {string.Join(", ", layers.Select(l => l.Name))})");
        }

        return new MatConvNetFile(path, layers, mean);
    }

    // A layer's fields by name: SimpleNN files hold a cell of 1x1 structs, some converters a 1xN struct array.
    private static IEnumerable<Func<string, MatArray?>> LayerStructs(string path, MatArray layers)
    {
        switch (layers)
        {
            case MatCellArray cell:
                for (int i = 0; i < cell.Count; i++)
                {
                    MatStructArray s = cell[i] as MatStructArray
                        ?? throw new NetworkFormatException(path, $"layers{{{i + 1}}} is a {cell[i].Class}, not a struct");
                    RequireScalar(path, s, $"layers{{{i + 1}}}");
                    yield return name => s.TryGetField(name, out MatArray? v) ? v : null;
                }

                break;
            case MatStructArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    int index = i;
                    yield return name => array.TryGetField(name, index, out MatArray? v) ? v : null;
                }

                break;
            default:
                throw new NetworkFormatException(path, $"'layers' is a {layers.Class}, expected a cell array of structs");
        }
    }

    private static MatConvNetLayer ReadLayer(string path, Func<string, MatArray?> field, int index)
    {
        string where = $"layers{{{index + 1}}}";
        string name = Text(path, field, "name", where);
        string type = Text(path, field, "type", where);
        where = $"layer '{name}' ({where})";
        if (type != "conv")
        {
            return new MatConvNetLayer(name, type, null, null, null);
        }

        MatNumericArray kernel, bias;
        if (field("weights") is MatArray weights)
        {
            if (weights is not MatCellArray { Count: 2 } pair)
            {
                throw new NetworkFormatException(path, $"{where}: 'weights' should be a 1x2 cell {{kernel, bias}}");
            }

            kernel = Numeric(path, pair[0], where, "kernel");
            bias = Numeric(path, pair[1], where, "bias");
        }
        else if (field("filters") is MatArray filters && field("biases") is MatArray biases)
        {
            // MatConvNet releases before beta16 stored the two as separate fields.
            kernel = Numeric(path, filters, where, "filters");
            bias = Numeric(path, biases, where, "biases");
        }
        else
        {
            throw new NetworkFormatException(path, $"{where}: a convolution without 'weights'");
        }

        if (kernel.ElementCount == 0)
        {
            // No convolution has an empty kernel, and LibTorch cannot even describe some empty shapes (a damaged
            // 2147483647x2147483647x3x0 overflows its stride computation with a bare native error).
            throw new NetworkFormatException(path, $"{where}: the kernel {kernel.DimensionsText} is empty");
        }

        int[] dims = [.. kernel.Dimensions, 1, 1, 1, 1];
        dims = dims[..4];
        if (kernel.Dimensions.Length > 4 || dims[3] != bias.ElementCount)
        {
            throw new NetworkFormatException(
                path, $"{where}: kernel {kernel.DimensionsText} does not match {bias.ElementCount} biases");
        }

        return new MatConvNetLayer(name, type, Singles(kernel), dims, Singles(bias));
    }

    private static float[] ReadMeanPixel(string path, MatFileContents mat)
    {
        MatStructArray? normalization = null;
        if (mat.Variables.TryGetValue("meta", out MatArray? meta) && meta is MatStructArray metaStruct
            && RequireScalar(path, metaStruct, "meta").TryGetField("normalization", out MatArray? n))
        {
            normalization = n as MatStructArray;
        }
        else if (mat.Variables.TryGetValue("normalization", out MatArray? top))
        {
            normalization = top as MatStructArray;
        }

        if (normalization is null || !RequireScalar(path, normalization, "normalization").TryGetField("averageImage", out MatArray? avg) || avg is not MatNumericArray image)
        {
            throw new NetworkFormatException(path, "no normalization.averageImage (neither top-level nor in 'meta'): the mean pixel is unknown");
        }

        double[] values = image.ToDoubleRowMajor();
        int[] d = image.Dimensions;
        int channels = d.Length >= 3 ? d[2] : values.Length == 3 ? 3 : 0;
        if (channels != 3 || values.Length % 3 != 0)
        {
            throw new NetworkFormatException(path, $"averageImage is {string.Join('x', d)}; expected H x W x 3");
        }

        // Row-major H x W x 3: channel is the fastest axis.
        var mean = new double[3];
        for (int i = 0; i < values.Length; i++)
        {
            mean[i % 3] += values[i];
        }

        int pixels = values.Length / 3;
        return [(float)(mean[0] / pixels), (float)(mean[1] / pixels), (float)(mean[2] / pixels)];
    }

    /// <summary>
    /// Fields are looked up by name only in 1x1 structs (MatStructArray throws an InvalidOperationException for any
    /// other size, which a damaged file reached: a 65535x0 'normalization', found by the fuzz test).
    /// </summary>
    private static MatStructArray RequireScalar(string path, MatStructArray s, string what) =>
        s.Count == 1 ? s : throw new NetworkFormatException(path, $"{what} is a {s.DimensionsText} struct, expected a single (1x1) struct");

    private static string Text(string path, Func<string, MatArray?> fields, string field, string where) =>
        fields(field) is MatCharArray chars
            ? chars.Text
            : throw new NetworkFormatException(path, $"{where}: no text field '{field}'");

    private static MatNumericArray Numeric(string path, MatArray value, string where, string what) =>
        value as MatNumericArray ?? throw new NetworkFormatException(path, $"{where}: the {what} is a {value.Class}, not numeric");

    private static float[] Singles(MatNumericArray array) =>
        array.Real as float[] ?? array.ToSingleColumnMajor();
}
