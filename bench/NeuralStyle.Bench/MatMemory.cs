using NeuralStyle.Backbones;
using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Mat;
using NeuralStyle.Weights.MatConvNet;

/// <summary>Peak resident memory while reading a .mat file, against the size of the numeric data in it.</summary>
internal static class MatMemory
{
    public static int Measure(string path, bool network)
    {
        // Start TorchSharp first so that its own footprint is part of the baseline, not of the reader's figure.
        using (var warm = TorchSharp.torch.zeros(1))
        {
        }

        long baseline = ReadStatusKb("VmRSS");
        ResetPeak();
        if (network)
        {
            return MeasureNetwork(path, baseline);
        }

        var clock = Stopwatch.StartNew();
        MatFileContents contents = MatFile.Read(path);
        double seconds = clock.Elapsed.TotalSeconds;
        long peakRead = ReadStatusKb("VmHWM");
        long dataBytes = contents.Variables.Values.Sum(NumericBytes);
        GC.KeepAlive(contents);

        long fileBytes = new FileInfo(path).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"file {fileBytes / 1048576.0:0} MiB, numeric data {dataBytes / 1048576.0:0} MiB, read in {seconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS before {baseline / 1024.0:0} MiB, peak while reading {peakRead / 1024.0:0} MiB: reader's peak {(peakRead - baseline) / 1024.0:0} MiB = {(peakRead - baseline) * 1024.0 / dataBytes:0.00} x the data"));
        return 0;
    }

    // Each mode runs in its own process: memory freed by one measurement is not returned to the OS in time for the next.
    private static int MeasureNetwork(string path, long baseline)
    {
        var clock = Stopwatch.StartNew();
        using var network = MatConvNetVgg.Load(path, PoolingMode.Max, "relu5_1");
        long peak = ReadStatusKb("VmHWM");
        long weights = network.Layers.Where(l => l.Weight is not null).Sum(l => (l.Weight!.NumberOfElements + l.Bias!.NumberOfElements) * 4);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VGG up to relu5_1: {network.Layers.Count} layers, {weights / 1048576.0:0} MiB of weights, loaded in {clock.Elapsed.TotalSeconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS before {baseline / 1024.0:0} MiB, peak while loading {peak / 1024.0:0} MiB: loader's peak {(peak - baseline) / 1024.0:0} MiB"));
        return 0;
    }

    internal static long NumericBytes(MatArray array) => array switch
    {
        MatNumericArray n => (long)Buffer.ByteLength(n.Real) * (n.IsComplex ? 2 : 1),
        MatCellArray c => c.Elements.Sum(NumericBytes),
        MatStructArray s => Enumerable.Range(0, s.Count).Sum(i => s.FieldNames.Sum(f => NumericBytes(s.Field(f, i)))),
        _ => 0,
    };

    internal static long ReadStatusKb(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    internal static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");
}
