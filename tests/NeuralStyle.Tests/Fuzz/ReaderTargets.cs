using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Mat;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Optimizers;
using NeuralStyle.Weights.Mat;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.PyTorch;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// Every reader of user-supplied files as a fuzz target: its seeds (small committed fixtures, or files the test
/// writes itself), how it is called, and which errors are its documented, clear ones. Readers that only take a path
/// get each input as a file in <paramref name="scratch"/>-style folders passed in by the test.
/// </summary>
internal static class ReaderTargets
{
    /// <summary>Every target, by name (also the folder of its committed regression inputs under Fixtures/fuzz).</summary>
    public static FuzzTarget ByName(string name, TempDirectory scratch) => name switch
    {
        "image" => Image(),
        "mat" => Mat(seekable: true),
        "mat-stream" => Mat(seekable: false),
        "mat-inflated" => MatInflated(),
        "matconvnet" => MatConvNet(scratch),
        "onnx" => Onnx(),
        "onnx-fields" => OnnxFields(),
        "npy" => Npy(scratch),
        "pytorch" => PyTorch(),
        "pytorch-pickle" => PyTorchPickle(),
        "pytorch-legacy" => PyTorchLegacy(),
        "state" => State(scratch),
        "state-body" => StateBody(scratch),
        _ => throw new ArgumentException($"no fuzz target '{name}'", nameof(name)),
    };

    /// <summary>Every format SkiaSharp decodes for us, with grey, palette, 16-bit, alpha, EXIF orientation and animation.</summary>
    /// <remarks>
    /// The reader's pixel limit is set to 2^22 (2048 x 2048): larger claims are refused from the header, as the CLI
    /// refuses decompression bombs. The fuzz found a 268-byte GIF claiming 13128 x 12334 pixels and a 145-byte WebP
    /// claiming 16144 x 4096, which took up to 3 s and 618 MiB to be refused as truncated when they were decoded; below
    /// the default limit of 178,956,970 pixels they still are, and here they would only make the time limit a measure
    /// of the machine's speed.
    /// </remarks>
    public static FuzzTarget Image() => new()
    {
        Name = "image",
        Seeds = Files(Path.Combine(Fixtures.Root, "images"),
            "rgb.png", "gray16.png", "palette_trns.png", "gray_alpha.png", "jpeg444.jpg", "jpeg420.jpg", "jpeg_gray.jpg", "orient_6.jpg",
            "lossless.webp", "lossy.webp", "animated.gif", "rgb.bmp"),
        Read = (bytes, name) => ImageReader.Read(bytes, name, new ImageLimits { MaxPixels = MaxDecodedPixels }),
        ClearErrors = [typeof(ImageReadException)],

        // What the reader holds per pixel its header claims (a 693-byte JPEG whose height field was changed decoded,
        // as libjpeg does, into 126 MB of pixels), for the largest image it may decode.
        AllocationLimit = (ImageLimits.DecodeBytesPerPixel * MaxDecodedPixels) + (16 << 20),
    };

    private const long MaxDecodedPixels = 1 << 22;

    /// <summary>The MAT v5 reader on every readable fixture, from a seekable stream or one that hides its length.</summary>
    public static FuzzTarget Mat(bool seekable) => new()
    {
        Name = seekable ? "mat" : "mat-stream",
        Seeds = Files(MatFixtures.Directory, [.. MatFixtures.Readable()]),
        Read = (bytes, name) =>
        {
            Stream stream = new MemoryStream(bytes, writable: false);
            MatFile.Read(seekable ? stream : new NonSeekableStream(stream), name);
        },
        ClearErrors = [typeof(MatFileException)],
        Tokens = MatTokens,
    };

    /// <summary>The MAT reader with the mutations inside compressed elements (re-compressed so that zlib passes them on).</summary>
    public static FuzzTarget MatInflated() => new()
    {
        Name = "mat-inflated",
        Seeds = [.. Files(MatFixtures.Directory, [.. MatFixtures.Readable()]).SelectMany(s => InnerSeeds.MatCompressedElements(s.Name, s.Bytes))],
        Read = (bytes, name) => MatFile.Read(new MemoryStream(bytes, writable: false), name),
        ClearErrors = [typeof(MatFileException)],
        Tokens = MatTokens,
    };

    /// <summary>MAT files loaded as a VGG network: the MatConvNet layout checks and the weight tensors.</summary>
    public static FuzzTarget MatConvNet(TempDirectory scratch) => new()
    {
        Name = "matconvnet",
        Seeds = Files(Path.Combine(Fixtures.Root, "tinyvgg"), "tiny-vgg-current.mat", "tiny-vgg-old.mat"),
        Read = (bytes, name) => WithFile(scratch, bytes, name, path => MatConvNetVgg.Load(path, PoolingMode.Max).Dispose()),
        ClearErrors = [typeof(MatFileException), typeof(NetworkFormatException)],
        Tokens = MatTokens,
    };

    /// <summary>ONNX models loaded and compiled into a graph, which evaluates itself once at its declared input size when that is small.</summary>
    public static FuzzTarget Onnx() => new()
    {
        Name = "onnx",
        Seeds = OnnxSeeds(),
        Read = LoadOnnx,
        ClearErrors = [typeof(OnnxFormatException), typeof(OnnxEvaluationException)],
        Tokens = ProtobufTokens,
    };

    /// <summary>The same, with protobuf kept valid and one integer field set to an extreme value.</summary>
    public static FuzzTarget OnnxFields() => new()
    {
        Name = "onnx-fields",
        Seeds = OnnxSeeds(),
        Read = LoadOnnx,
        Mutate = OnnxFieldMutator.Mutate,
        ClearErrors = [typeof(OnnxFormatException), typeof(OnnxEvaluationException)],
    };

    /// <summary>.npy files read as tensors (the path LibTorch's tensor creation takes for `models forward` inputs).</summary>
    public static FuzzTarget Npy(TempDirectory scratch) => new()
    {
        Name = "npy",
        Seeds = Files(Path.Combine(Fixtures.Root, "npy"),
            "f4_2x3.npy", "f8_3x5.npy", "f2_6.npy", "i8_4.npy", "i4_2x2.npy", "u1_5.npy", "v2_f4_3x2.npy", "v3_f4_3x2.npy",
            "f4_scalar.npy", "f4_2x0x3.npy", "f4_1x2x3x4.npy"),
        Read = (bytes, name) => WithFile(scratch, bytes, name, path => NpyFile.ReadTensor(path).Dispose()),
        ClearErrors = [typeof(NpyFormatException)],
    };

    /// <summary>torch.save archives, whole: zip structure, records, storages and views.</summary>
    public static FuzzTarget PyTorch() => new()
    {
        Name = "pytorch",
        Seeds = PyTorchSeeds(),
        Read = ReadCheckpoint,
        ClearErrors = [typeof(PyTorchFormatException)],
    };

    /// <summary>torch.save archives with the mutations in the pickle only, so that they reach the unpickler and the state-dict checks.</summary>
    public static FuzzTarget PyTorchPickle() => new()
    {
        Name = "pytorch-pickle",
        Seeds = [.. PyTorchSeeds().Select(s => InnerSeeds.Pickle(s.Name, s.Bytes))],
        Read = ReadCheckpoint,
        ClearErrors = [typeof(PyTorchFormatException)],
        Tokens = PickleTokens,
    };

    /// <summary>Legacy torch.save files, whole: the five pickles, the storage key list, the count headers and storages, old storage views.</summary>
    public static FuzzTarget PyTorchLegacy() => new()
    {
        Name = "pytorch-legacy",
        Seeds = Files(Path.Combine(Fixtures.Root, "pytorch", "legacy"), "tiny_net.pth", "views.pth", "dtypes.pth", "storage_view.pth", "nested_state_dict.pth", "py2_tiny_net.pth"),
        Read = ReadCheckpoint,
        ClearErrors = [typeof(PyTorchFormatException)],
        Tokens = PickleTokens,
    };

    /// <summary>
    /// Run state files (OUTPUT.state) through the public Read. The seeds are written by TransferStateFile.Write here,
    /// so they follow the format whatever it becomes. Nearly every mutant is refused by the file's checksum.
    /// </summary>
    public static FuzzTarget State(TempDirectory scratch) => new()
    {
        Name = "state",
        Seeds = [StateSeed(scratch, "adam.state", lbfgs: false), StateSeed(scratch, "lbfgs.state", lbfgs: true), StateSeed(scratch, "parameters.state", lbfgs: false, parameters: [2, 3, 4, 3])],
        Read = (bytes, name) => WithFile(scratch, bytes, name, path => TransferStateFile.Read(path).Dispose()),
        ClearErrors = [typeof(InvalidDataException), typeof(IOException)],
    };

    /// <summary>
    /// The same files with the mutations made before the trailing SHA-256 is computed, so that they reach the header
    /// and tensor checks behind it. If the format stops ending in a SHA-256 of what precedes it, the seeds are no
    /// longer read and the test says so.
    /// </summary>
    public static FuzzTarget StateBody(TempDirectory scratch) => new()
    {
        Name = "state-body",
        Seeds = [.. State(scratch).Seeds.Select(s => new FuzzSeed(s.Name + "#body", s.Bytes[..^32], body => [.. body, .. SHA256.HashData(body)]))],
        Read = (bytes, name) => WithFile(scratch, bytes, name, path => TransferStateFile.Read(path).Dispose()),
        ClearErrors = [typeof(InvalidDataException), typeof(IOException)],
    };

    /// <summary>MAT tag words: miMATRIX, miCOMPRESSED, small elements (count in the high half) of miINT32 and miUINT32.</summary>
    private static readonly ulong[] MatTokens = [14, 15, 0x00040005, 0x00080006, 0x00050001, 0x00010002, 0xFFFF0001, 0x7FFF000E];

    /// <summary>Protobuf keys of the fields ONNX nests (varint 1, length-delimited 1, 2, 7) and a varint continuation.</summary>
    private static readonly ulong[] ProtobufTokens = [0x08, 0x0A, 0x12, 0x3A, 0x80, 0xFF01];

    /// <summary>Pickle opcodes that build what a state dict holds: BININT1, SHORT_BINUNICODE, LONG1, MARK, TUPLE, STOP, BINPUT, BINGET, REDUCE, SETITEMS.</summary>
    private static readonly ulong[] PickleTokens = [0x4B, 0x58, 0x8C, 0x8A, 0x28, 0x74, 0x2E, 0x71, 0x68, 0x52, 0x75];

    private static FuzzSeed[] OnnxSeeds() => Files(Path.Combine(Fixtures.Root, "onnx"),
        "conv.onnx", "conv1d.onnx", "baked_same.onnx", "shape_ops.onnx", "pad.onnx", "pool.onnx", "normalization.onnx",
        "activations.onnx", "elementwise.onnx", "gemm_matmul.onnx", "conv_transpose.onnx");

    private static FuzzSeed[] PyTorchSeeds() => Files(Path.Combine(Fixtures.Root, "pytorch"),
        "tiny_net.pth", "views.pth", "dtypes.pth", "nested_state_dict.pth", "data_parallel.pth");

    /// <summary>Builds the graph and, when every declared input dimension is at most 64, runs it once on zeros.</summary>
    private static void LoadOnnx(byte[] bytes, string name)
    {
        using var graph = new OnnxGraph(OnnxModel.Load(new MemoryStream(bytes), name));
        var shapes = graph.Inputs.ToDictionary(i => i.Name, i => (i.Shape ?? []).Select(d => d ?? 1).ToArray());
        if (shapes.Values.All(s => s.All(d => d <= 64)))
        {
            graph.InferShapes(shapes, [.. graph.Outputs.Select(o => o.Name)]);
        }
    }

    private static void ReadCheckpoint(byte[] bytes, string name)
    {
        foreach (Tensor t in PyTorchCheckpoint.Read(new MemoryStream(bytes, writable: false), name).Values)
        {
            t.Dispose();
        }
    }

    // With parameters (a shape other than the image's), the optimiser's tensors have their shape.
    private static FuzzSeed StateSeed(TempDirectory scratch, string name, bool lbfgs, long[]? parameters = null)
    {
        Tensor Filled(float value) => full(parameters ?? [1, 3, 4, 5], value);
        using var state = new TransferState
        {
            CompletedIterations = 12,
            Image = arange(60, ScalarType.Float32).reshape(1, 3, 4, 5),
            Parameters = parameters is null ? null : Filled(-0.5f),
            Best = full(new long[] { 1, 3, 4, 5 }, 1f),
            BestLoss = 3.5,
            Average = lbfgs ? null : full(new long[] { 1, 3, 4, 5 }, 0.25f),
            AverageSteps = lbfgs ? 0 : 12,
            AdamStep = lbfgs ? 0 : 12,
            AdamFirstMoment = lbfgs ? null : Filled(2),
            AdamSecondMoment = lbfgs ? null : Filled(4),
            Lbfgs = lbfgs ? new LbfgsState([Filled(0.5f), Filled(0.25f)], [Filled(-1), Filled(-2)], [0.5, 0.25], 0.75, Filled(3), Filled(-3), 1, 17.5, 12, 14) : null,
        };
        string path = scratch.File(name);
        var origin = new TransferStateOrigin(new string('0', 64), "network.mat", 5, 4, new Dictionary<string, string> { ["--optimizer"] = lbfgs ? "lbfgs" : "adam" });
        TransferStateFile.Write(state, origin, path);
        return new FuzzSeed(name, File.ReadAllBytes(path));
    }

    private static FuzzSeed[] Files(string folder, params string[] names) =>
        [.. names.Select(n => new FuzzSeed(n, File.ReadAllBytes(Path.Combine(folder, n))))];

    private static void WithFile(TempDirectory scratch, byte[] bytes, string name, Action<string> read)
    {
        string path = scratch.File(name);
        File.WriteAllBytes(path, bytes);
        try
        {
            read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
