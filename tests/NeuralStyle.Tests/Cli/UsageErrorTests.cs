using System.CommandLine;
using System.CommandLine.Help;
using NeuralStyle.Cli;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// Values out of range and values that do not parse: one line naming the flag and the value, exit 2, and nothing
/// read or written. The inputs named here do not exist, so a check that came after reading a file would fail
/// differently (exit 1, "does not exist").
/// </summary>
public class UsageErrorTests
{
    private static CliRun Style(TempDirectory temp, params string[] extra) => CliRun.Invoke(
    [
        "--network", temp.File("net.mat"), "--content", temp.File("content.png"), "--styles", temp.File("style.png"),
        "--output", temp.File("o.png"), .. extra,
    ]);

    // With a network that exists, a run whose values pass goes on to read the content image, which does not.
    private static CliRun StyleOnTinyVgg(TempDirectory temp, params string[] extra) => CliRun.Invoke(
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", temp.File("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), .. extra,
    ]);

    [Theory]
    [InlineData("--content-weight must not be negative (got -5)", "--content-weight", "-5")]
    [InlineData("--content-weight must be a finite number (got NaN)", "--content-weight", "nan")]
    [InlineData("--style-weight must not be negative (got -1)", "--style-weight", "-1")]
    [InlineData("--style-weight must be a finite number (got Infinity)", "--style-weight", "inf")]
    [InlineData("--style-weight must be a finite number (got -Infinity)", "--style-weight", "-Infinity")]
    [InlineData("--style-weight 1e+300 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)", "--style-weight", "1e300")]
    [InlineData("--tv-weight must not be negative (got -1)", "--tv-weight", "-1")]
    [InlineData("--tv-weight 1e+39 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)", "--tv-weight", "1e39")]
    [InlineData("--learning-rate must be a finite number (got NaN)", "--learning-rate", "nan")]
    [InlineData("--learning-rate must be positive (got -1)", "--learning-rate", "-1")]
    [InlineData("--learning-rate must be positive (got 0)", "--learning-rate", "0")]
    [InlineData("--learning-rate must be a finite number (got NaN)", "--learning-rate", "NaN", "--optimizer", "lbfgs")]
    [InlineData("--learning-rate 1e-50 is too small: the engine computes in 32-bit floats, where it is 0 (the smallest is 1.4e-45)", "--learning-rate", "1e-50")]
    [InlineData("--content-weight-blend must be within [0, 1] (got 1.5)", "--content-weight-blend", "1.5")]
    [InlineData("--content-weight-blend must be within [0, 1] (got NaN)", "--content-weight-blend", "nan")]
    [InlineData("--style-layer-weight-exp must be positive (got -1)", "--style-layer-weight-exp", "-1")]
    [InlineData("--style-layer-weight-exp must be positive (got 0)", "--style-layer-weight-exp", "0")]
    [InlineData("--style-layer-weight-exp must be a finite number (got Infinity)", "--style-layer-weight-exp", "Infinity")]
    [InlineData("--style-blend-weights must not be negative (got -1)", "--style-blend-weights", "-1")]
    [InlineData("--style-blend-weights must be a finite number (got NaN)", "--style-blend-weights", "nan")]
    [InlineData("--style-blend-weights must not all be 0", "--style-blend-weights", "0")]
    [InlineData("--beta1 must be within [0, 1) (got 1)", "--beta1", "1")]
    [InlineData("--beta1 must be within [0, 1) (got -0.1)", "--beta1", "-0.1")]
    [InlineData("--beta2 must be within [0, 1) (got NaN)", "--beta2", "nan")]
    [InlineData("--epsilon must be positive (got 0)", "--epsilon", "0")]
    [InlineData("--epsilon must be a finite number (got Infinity)", "--epsilon", "inf")]
    [InlineData("--epsilon 1e-50 is too small: the engine computes in 32-bit floats, where it is 0 (the smallest is 1.4e-45)", "--epsilon", "1e-50")]
    [InlineData("--average must be within (0, 1) (got 1)", "--average", "1")]
    [InlineData("--average must be within (0, 1) (got 0)", "--average", "0")]
    [InlineData("--average must be within (0, 1) (got NaN)", "--average", "nan")]
    [InlineData("--initial-noiseblend must be within [0, 1] (got -0.5)", "--initial-noiseblend", "-0.5")]
    [InlineData("--initial-noiseblend must be within [0, 1] (got NaN)", "--initial-noiseblend", "nan")]
    [InlineData("--style-scales must be positive (got -1)", "--style-scales", "-1")]
    [InlineData("--style-scales must be a finite number (got Infinity)", "--style-scales", "inf")]
    [InlineData("--style-layers: the weight of relu1_1 must be a finite number (got NaN)", "--style-layers", "relu1_1:nan")]
    [InlineData("--style-layers: the weight of relu1_1 must not be negative (got -2)", "--style-layers", "relu1_1:-2")]
    [InlineData("--content-layers: the weight of relu4_2 must be a finite number (got Infinity)", "--content-layers", "relu4_2:inf")]
    [InlineData("--content-layers: the weight of relu4_2 1e+40 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)", "--content-layers", "relu4_2:1e40")]
    [InlineData("--width must be a positive integer (got -3)", "--width", "-3")]
    [InlineData("--max-memory must be a positive integer (got 0)", "--max-memory", "0")]
    [InlineData("--min-size must be a positive integer (got -1)", "--min-size", "-1")]
    public void A_value_out_of_range_is_named_with_the_flag_before_any_file_is_read(string message, params string[] extra)
    {
        using var temp = new TempDirectory();
        CliRun run = Style(temp, extra);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: {message}", Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("--style-weight", "3.4e38")]
    [InlineData("--style-weight", "0")]
    [InlineData("--content-weight-blend", "0")]
    [InlineData("--beta1", "0")]
    [InlineData("--style-layers", "relu1_1:0", "relu2_1")]
    public void Values_at_the_edge_of_their_range_are_accepted(params string[] extra)
    {
        // Accepted by the checks, the run goes on to read the content image, which does not exist: exit 1.
        using var temp = new TempDirectory();
        CliRun run = StyleOnTinyVgg(temp, extra);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("content.png", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_output_without_checkpoint_iterations_is_a_usage_error()
    {
        // The seed silently writes no checkpoint then (its stylize yields only the final image without a frequency).
        using var temp = new TempDirectory();
        CliRun run = Style(temp, "--checkpoint-output", "c%s.png");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "neural-style: error: --checkpoint-output c%s.png needs --checkpoint-iterations N (how often to write a checkpoint); without it none is written",
            Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("--iterations expects a whole number, got 'ten'", "--iterations", "ten")]
    [InlineData("--width expects a whole number, got '1.5'", "--width", "1.5")]
    [InlineData("--iterations expects a whole number up to 2147483647, got '99999999999'", "--iterations", "99999999999")]
    [InlineData("--seed expects a whole number from -9223372036854775808, got '-99999999999999999999'", "--seed", "-99999999999999999999")]
    [InlineData("--style-weight expects a number, got 'heavy'", "--style-weight", "heavy")]
    [InlineData("--beta1 expects a number, got '0,9'", "--beta1", "0,9")]
    [InlineData("--style-scales expects a number, got 'x'", "--style-scales", "1", "x")]
    [InlineData("--style-layers: 'relu1_1:x' is not LAYER or LAYER:WEIGHT with a number as the weight", "--style-layers", "relu1_1:x")]
    public void A_value_that_does_not_parse_is_named_in_the_users_words(string message, params string[] extra)
    {
        using var temp = new TempDirectory();
        CliRun run = Style(temp, extra);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: {message}", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void A_bad_value_is_reported_before_a_missing_option()
    {
        // As argparse: the value typed is converted as it is read, so its error comes first.
        CliRun run = CliRun.Invoke(["--iterations", "ten"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("neural-style: error: --iterations expects a whole number, got 'ten'", Assert.Single(run.ErrorLines));
    }

    public static TheoryData<string[], string> EveryParsedOption()
    {
        var data = new TheoryData<string[], string>();
        void Walk(Command command, string[] path)
        {
            // String values are not parsed (a bad file name is found later); help and version print and exit 0.
            foreach (Option option in command.Options.Where(o => o.ValueType != typeof(string) && o.ValueType != typeof(string[]) && o is not (HelpOption or VersionOption)))
            {
                data.Add(path, option.Name);
            }

            foreach (Command sub in command.Subcommands)
            {
                Walk(sub, [.. path, sub.Name]);
            }
        }

        Walk(new AppCommands().Root, []);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryParsedOption))]
    public void No_parse_error_of_any_command_shows_a_dotnet_type_name(string[] command, string option)
    {
        Option symbol = Find(command, option);
        bool whole = symbol.ValueType == typeof(int) || symbol.ValueType == typeof(int?) || symbol.ValueType == typeof(long?) || symbol.ValueType == typeof(long);
        bool number = symbol.ValueType == typeof(double) || symbol.ValueType == typeof(double?) || symbol.ValueType == typeof(double[]);
        Assert.True(whole || number || symbol.ValueType == typeof(bool), $"{option} has a value type the sweep does not know: {symbol.ValueType}");
        string[] badValues = whole ? ["x", "1.5", "", "99999999999999999999"] : ["x", ""];
        foreach (string bad in badValues)
        {
            CliRun run = CliRun.Invoke([.. command, option, bad]);
            string line = Assert.Single(run.ErrorLines);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', command)} {option} '{bad}': exit {run.ExitCode}: {line}");
            Assert.StartsWith("neural-style: error: ", line, StringComparison.Ordinal);
            foreach (string dotnet in new[] { "System.", "Int32", "Int64", "Double", "Nullable", "Boolean", "`1" })
            {
                Assert.DoesNotContain(dotnet, line, StringComparison.Ordinal);
            }

            if (whole || number)
            {
                Assert.StartsWith($"neural-style: error: {option} expects a {(whole ? "whole number" : "number")}", line, StringComparison.Ordinal);
                Assert.EndsWith($", got '{bad}'", line, StringComparison.Ordinal);
            }
        }
    }

    private static Option Find(string[] command, string option)
    {
        Command at = new AppCommands().Root;
        foreach (string name in command)
        {
            at = at.Subcommands.Single(c => c.Name == name);
        }

        return at.Options.Single(o => o.Name == option);
    }
}
