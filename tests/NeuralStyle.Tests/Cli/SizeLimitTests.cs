using System.Diagnostics;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>Issue 11: sizes are refused before the damage: image headers before decoding, the estimate before any full-size image or tensor.</summary>
public class SizeLimitTests
{
    private static string[] Run(TempDirectory temp, string content, params string[] more) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"),
        "--content", content,
        "--styles", Fixtures.TinyVgg("style1.png"),
        "--output", temp.File("o.png"),
        "--iterations", "1",
        .. more,
    ];

    [Fact]
    public void A_content_whose_header_claims_100000x100000_is_refused_by_the_pixel_limit_naming_the_override()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("bomb.png"), HeaderOnlyImages.Png(100000, 100000));

        CliRun run = CliRun.Invoke(Run(temp, temp.File("bomb.png")));

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"neural-style: error: Image file '{temp.File("bomb.png")}' is 100000x100000 (10,000,000,000 pixels), more than the limit of 178,956,970", line, StringComparison.Ordinal);
        Assert.EndsWith("raise the limit with --max-pixels 10000000000.", line, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void A_style_whose_jpeg_header_claims_65500x65500_is_refused_before_the_network_is_loaded()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("bomb.jpg"), HeaderOnlyImages.Jpeg(65500, 65500));

        CliRun run = CliRun.Invoke([.. Run(temp, Fixtures.TinyVgg("content.png")), "--styles", Fixtures.TinyVgg("style1.png"), temp.File("bomb.jpg")]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bomb.jpg' is 65500x65500", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Max_pixels_refuses_an_image_over_it_and_raising_it_admits_the_image()
    {
        // The content is 37x29 = 1073 pixels, the style 37x31 = 1147.
        using var temp = new TempDirectory();
        CliRun refused = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--max-pixels", "1146"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"neural-style: error: Image file '{Fixtures.TinyVgg("style1.png")}' is 37x31 (1,147 pixels), more than the limit of 1,146 that guards against decompression bombs; if the image is genuine, raise the limit with --max-pixels 1147.", Assert.Single(refused.ErrorLines));

        CliRun admitted = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--max-pixels", "1147"));
        Assert.True(admitted.ExitCode == 0, admitted.Error);
        Assert.True(File.Exists(temp.File("o.png")));

        CliRun zero = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--max-pixels", "0"));
        Assert.Equal(2, zero.ExitCode);
        Assert.Equal("neural-style: error: --max-pixels must be a positive integer (got 0)", Assert.Single(zero.ErrorLines));
    }

    [Fact]
    public void Max_pixels_is_recorded_in_the_spec_and_kept_by_a_resume()
    {
        using var temp = new TempDirectory();
        CliRun first = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--max-pixels", "5000", "--checkpoint-iterations", "1"));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(5000, RunRecord.Load(temp.File("o.json")).Spec.MaxPixels);

        CliRun resumed = CliRun.Invoke(["--resume", temp.File("o.json"), "--iterations", "2"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(5000, RunRecord.Load(temp.File("o.json")).Spec.MaxPixels);
    }

    [Fact]
    public void Max_memory_500_refuses_a_big_header_image_without_decoding_it()
    {
        // Issue 11: a 400 KB PNG of 20000x20000 was decoded in full (11.4 GB resident) before the estimate refused
        // the run. Its data here is two short rows: decoding it would end in "truncated", not in this refusal.
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("big.png"), HeaderOnlyImages.Png(20000, 20000));
        long before = GC.GetTotalAllocatedBytes(precise: true);

        CliRun run = CliRun.Invoke(Run(temp, temp.File("big.png"), "--max-pixels", "400000000", "--max-memory", "500"));

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"neural-style: error: Image file '{temp.File("big.png")}' is 20000x20000: decoding it needs 6104 MiB but only 500 MiB are allowed by --max-memory.", Assert.Single(run.ErrorLines));
        Assert.True(allocated < 64L << 20, $"{allocated >> 20} MiB allocated");
    }

    [Fact]
    public void Width_20000_is_refused_by_the_estimate_before_any_image_is_decoded_or_resized()
    {
        // Issue 11: --width 20000 reached 8.2 GB before the estimate refused the run. The content (37x29) at 20000
        // wide is 3.7 GB of floats, and the style is resized to the same width.
        using var temp = new TempDirectory();
        long before = GC.GetTotalAllocatedBytes(precise: true);

        CliRun run = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--width", "20000", "--max-memory", "4000"));

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^neural-style: error: a 20000x15675 run needs about \d+ MiB untiled and \d+ MiB even in 128 px tiles, but only 4000 MiB are allowed by --max-memory; use a smaller --width$", run.ErrorLines[^1]);
        Assert.DoesNotContain("Iteration", run.Error, StringComparison.Ordinal);
        Assert.True(allocated < 256L << 20, $"{allocated >> 20} MiB allocated");
    }

    [Fact]
    public void A_run_too_big_for_memory_says_so_even_where_the_disk_is_also_too_small()
    {
        // A CI machine with less free disk than this one answered the 20000-wide run with the disk-space refusal: the
        // memory estimate now comes first, since its fix (a smaller --width) is the one the user needs.
        using var temp = new TempDirectory();
        using var disk = Tmpfs.Mount(temp.File("small"), 1 << 20);
        string[] args =
        [
            "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", disk.File("o.png"), "--iterations", "1",
            "--width", "20000", "--max-memory", "4000",
        ];

        CliRun run = CliRun.Invoke(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^neural-style: error: a 20000x15675 run needs about \d+ MiB untiled and \d+ MiB even in 128 px tiles, but only 4000 MiB are allowed by --max-memory; use a smaller --width$", run.ErrorLines[^1]);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [Fact]
    public void A_style_scaled_beyond_the_budget_is_refused_by_the_estimate()
    {
        // The content alone fits in 700 MiB; its style at --style-scales 60 (2220x1860) does not.
        using var temp = new TempDirectory();
        CliRun fits = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--max-memory", "700"));
        Assert.True(fits.ExitCode == 0, fits.Error);

        CliRun run = CliRun.Invoke(Run(temp, Fixtures.TinyVgg("content.png"), "--max-memory", "700", "--style-scales", "60", "--overwrite"));

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^neural-style: error: a 37x29 run with a 2220x1860 style image needs about \d+ MiB but only 700 MiB are allowed by --max-memory; use a smaller --width or smaller --style-scales$", run.ErrorLines[^1]);
        Assert.DoesNotContain("Iteration", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_summary_at_100000x100000_is_refused_by_the_estimate_in_one_line()
    {
        CliRun run = CliRun.Invoke(["models", "summary", "resnet18", "--input-size", "3x100000x100000"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^neural-style: error: summarising resnet18 at 3x100000x100000 needs about \d+ MiB but only \d+ MiB are available; use a smaller --input-size$", Assert.Single(run.ErrorLines));
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Layers_at_100000x100000_is_refused_by_the_estimate_in_one_line()
    {
        // Before, LibTorch's failed allocation escaped as an unhandled exception: exit 134 with a stack trace, which
        // would end the test host, so this runs the built program.
        (int code, string stdout, string stderr) = Subprocess("layers", "--width", "100000", "--height", "100000");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Matches(@"^neural-style: error: listing the layers at 100000x100000 needs about \d+ MiB but only \d+ MiB are available; use a smaller --width and --height\n$", stderr);
    }

    [Fact]
    public void Layers_at_a_size_a_zoo_model_cannot_take_is_one_line()
    {
        (int code, _, string stderr) = Subprocess("layers", "--network", "lenet5", "--width", "300", "--height", "300");

        Assert.Equal(1, code);
        Assert.Matches(@"^neural-style: error: lenet5 cannot run on a 300x300 input: [^\n]+\n$", stderr);
    }

    private static (int Code, string Stdout, string Stderr) Subprocess(params string[] args) => CliProcess.Run(args);
}
