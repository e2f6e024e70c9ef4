using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Weights;
using NeuralStyle.Weights.Caffe;
using NeuralStyle.Weights.Mat;
using static TorchSharp.torch;

/// <summary>Wall time and peak resident memory of reading one weights file with its reader, against the bytes kept.</summary>
/// <remarks>
/// One file per process: memory freed by one read is not returned to the OS in time for the next, so a second read in
/// the same process would measure the allocator, not the reader. bench/weights_load_cost.sh runs each file three times
/// in fresh processes and takes medians. The reader is chosen by extension here only because the benchmark knows its
/// files; StateDictFile itself tells torch.save (zip, legacy) from safetensors by content.
/// </remarks>
internal static class WeightsLoad
{
    public static int Measure(string path)
    {
        // Start TorchSharp first so that its own footprint is part of the baseline, not of the reader's figure.
        using (var warm = zeros(1))
        {
        }

        long baselineKb = MatMemory.ReadStatusKb("VmRSS");
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        MatMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        (string format, long keptBytes, IDisposable kept) = Read(path);
        double seconds = clock.Elapsed.TotalSeconds;
        long peakKb = MatMemory.ReadStatusKb("VmHWM");
        long rssAfterKb = MatMemory.ReadStatusKb("VmRSS");

        // The managed side of the peak: what the reader allocated on the .NET heap, and the heap's size at the end (garbage
        // not yet collected counts in RSS like live data does).
        long managedAllocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        long managedHeap = GC.GetGCMemoryInfo().HeapSizeBytes;
        kept.Dispose();

        long fileBytes = new FileInfo(path).Length;
        double aboveBaseline = (peakKb - baselineKb) * 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{format}: file {fileBytes / 1048576.0:0.0} MiB, kept {keptBytes / 1048576.0:0.0} MiB, read in {seconds:0.00} s; RSS before {baselineKb / 1024.0:0} MiB, peak {peakKb / 1024.0:0} MiB (peak above before {aboveBaseline / 1048576.0:0} MiB = {(keptBytes > 0 ? aboveBaseline / keptBytes : 0):0.00} x kept), after {rssAfterKb / 1024.0:0} MiB; managed: {managedAllocated / 1048576.0:0} MiB allocated, heap {managedHeap / 1048576.0:0} MiB at the last GC"));
        // One line for the script: key=value, integers in bytes and KiB.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT format={format} file_bytes={fileBytes} seconds={seconds:0.000} baseline_kb={baselineKb} peak_kb={peakKb} kept_bytes={keptBytes} managed_allocated_bytes={managedAllocated}"));
        return 0;
    }

    private static (string Format, long KeptBytes, IDisposable Kept) Read(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".mat")
        {
            MatFileContents contents = MatFile.Read(path);
            return ("mat", contents.Variables.Values.Sum(MatMemory.NumericBytes), new Holder(contents, null));
        }

        if (extension == ".caffemodel")
        {
            CaffeModel model = CaffeModelFile.Read(path);
            long bytes = model.Layers.SelectMany(l => l.Blobs).Sum(b => b.Data.numel() * b.Data.element_size());
            return ("caffemodel", bytes, model);
        }

        string format = StateDictFile.Detect(path).ToString();
        IReadOnlyDictionary<string, Tensor> tensors = StateDictFile.Read(path);
        return (format, tensors.Values.Sum(t => t.numel() * t.element_size()), new Holder(null, tensors.Values));
    }

    // Keeps what was read alive until the peak is taken, then frees the tensors.
    private sealed class Holder(object? kept, IEnumerable<Tensor>? tensors) : IDisposable
    {
        public void Dispose()
        {
            GC.KeepAlive(kept);
            foreach (Tensor t in tensors ?? [])
            {
                t.Dispose();
            }
        }
    }
}
