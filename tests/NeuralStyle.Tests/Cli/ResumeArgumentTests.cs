using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary><c>--resume</c> given something that is not a run manifest: one line saying what it is, exit 2.</summary>
public class ResumeArgumentTests
{
    [Fact]
    public void A_directory_is_named_as_a_directory_not_as_missing()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(["--resume", temp.Path]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: cannot resume: {temp.Path} is a directory, not a run manifest (give OUTPUT.json)", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_as_such()
    {
        using var temp = new TempDirectory();
        File.Copy(Fixtures.TinyVgg("content.png"), temp.File("picture.png"));
        CliRun run = CliRun.Invoke(["--resume", temp.File("picture.png")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: cannot resume: {temp.File("picture.png")} is not a run manifest (it is not a JSON object; give OUTPUT.json)", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void The_output_image_given_instead_of_its_manifest_points_to_the_manifest()
    {
        using var temp = new TempDirectory();
        File.Copy(Fixtures.TinyVgg("content.png"), temp.File("out.png"));
        File.WriteAllText(temp.File("out.json"), "{}");
        CliRun run = CliRun.Invoke(["--resume=" + temp.File("out.png")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: cannot resume: {temp.File("out.png")} is not a run manifest (it is not a JSON object; did you mean {temp.File("out.json")}?)", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("", "it is empty; give OUTPUT.json")]
    [InlineData(" \n\t", "it is empty; give OUTPUT.json")]
    [InlineData("[1, 2]", "it is not a JSON object; give OUTPUT.json")]
    public void An_empty_file_or_one_that_is_no_json_object_is_refused(string text, string reason)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("run.json"), text);
        CliRun run = CliRun.Invoke(["--resume", temp.File("run.json")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: cannot resume: {temp.File("run.json")} is not a run manifest ({reason})", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void A_manifest_with_a_byte_order_mark_is_read_as_json()
    {
        // Past the first-byte check: the manifest is parsed and found to lack a specification.
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("run.json"), "  {\"tool\": \"neural-style\"}", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        CliRun run = CliRun.Invoke(["--resume", temp.File("run.json")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("records no job specification", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
