using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralStyle.Bench.Comparison;

/// <summary>
/// One bench/pytorch_style_loop.py process for one network, kept for the whole run: it loads the network once and
/// answers a JSON line per run, so that ours and PyTorch alternate without Python's start-up between them.
/// </summary>
internal sealed class PytorchWorker : IDisposable
{
    private readonly Process _process;

    private PytorchWorker(Process process, JsonElement hello)
    {
        _process = process;
        Hello = hello;
    }

    /// <summary>The worker's first line: versions, BLAS, the bf16 autocast probe.</summary>
    public JsonElement Hello { get; }

    /// <summary>Starts the worker and reads its first line.</summary>
    public static PytorchWorker Start(string python, string script, IEnumerable<string> arguments, int threads)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        start.ArgumentList.Add(script);
        foreach (string a in arguments.Concat(["--threads", threads.ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(a);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}");
        string? line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            process.WaitForExit();
            throw new InvalidOperationException($"{script} exited ({process.ExitCode}) before describing itself; see its messages above");
        }

        using JsonDocument doc = JsonDocument.Parse(line);
        return new PytorchWorker(process, doc.RootElement.Clone());
    }

    /// <summary>Runs <paramref name="iterations"/> iterations from the content image; per iteration its seconds and the loss before its step, or the worker's error.</summary>
    public (List<double> Seconds, List<double> Losses, string? Error) Run(ImageFile content, ImageFile style, bool bf16, int iterations)
    {
        var command = new JsonObject
        {
            ["op"] = "run",
            ["content"] = content.Path,
            ["height"] = content.Height,
            ["width"] = content.Width,
            ["style"] = style.Path,
            ["style_height"] = style.Height,
            ["style_width"] = style.Width,
            ["precision"] = bf16 ? "bf16" : "fp32",
            ["iterations"] = iterations,
        };
        _process.StandardInput.WriteLine(command.ToJsonString());
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch worker exited in the middle of a run; see its messages above");
        using JsonDocument doc = JsonDocument.Parse(line);
        if (doc.RootElement.TryGetProperty("error", out JsonElement error))
        {
            return ([], [], error.GetString());
        }

        return (
            [.. doc.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble())],
            [.. doc.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble())],
            null);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("{\"op\": \"quit\"}");
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }
        catch (IOException)
        {
            // Already gone: nothing to stop.
        }

        _process.Dispose();
    }
}

/// <summary>An image written for the worker: float32 RGB 0..255, row-major height x width x 3.</summary>
internal sealed record ImageFile(string Path, int Width, int Height)
{
    public static ImageFile Write(NeuralStyle.Imaging.RgbImage image, string path)
    {
        byte[] bytes = new byte[image.Pixels.Length * sizeof(float)];
        Buffer.BlockCopy(image.Pixels, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
        return new ImageFile(path, image.Width, image.Height);
    }
}
