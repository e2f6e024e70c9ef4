using Xunit;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>The harness itself: cases are reproducible from their seed, and each kind of bad ending is reported.</summary>
public sealed class FuzzHarnessTests
{
    private static FuzzTarget Target(Action<byte[], string> read, TimeSpan? limit = null) => new()
    {
        Name = "test",
        Seeds = [new FuzzSeed("seed.bin", [.. Enumerable.Range(0, 600).Select(i => (byte)i)])],
        Read = read,
        ClearErrors = [typeof(InvalidDataException)],
        TimeLimit = limit ?? TimeSpan.FromSeconds(5),
    };

    [Fact]
    public void A_case_is_rebuilt_exactly_from_its_seed()
    {
        FuzzTarget target = Target((_, _) => { });
        FuzzCase[] first = [.. Enumerable.Range(0, 200).Select(i => FuzzHarness.MakeCase(target, FuzzRandom.CaseSeed(7, i)))];
        FuzzCase[] again = [.. Enumerable.Range(0, 200).Select(i => FuzzHarness.MakeCase(target, FuzzRandom.CaseSeed(7, i)))];

        Assert.Equal(first.Select(c => c.Description), again.Select(c => c.Description));
        Assert.All(first.Zip(again), p => Assert.Equal(p.First.Input, p.Second.Input));
        // And the cases differ from one another: every kind of mutation shows up.
        Assert.True(first.Select(c => Convert.ToHexString(c.Input)).Distinct().Count() > 190);
        foreach (string kind in new[] { "flip bit", "set byte", "-endian integer", "add ", "truncate", "remove", "insert a copy", "insert byte" })
        {
            Assert.Contains(first, c => c.Description.Contains(kind, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Mutations_do_what_they_say()
    {
        byte[] data = [0, 1, 2, 3, 4, 5, 6, 7];
        Assert.Equal([0, 1, 6, 3, 4, 5, 6, 7], new FlipBit(2, 2).Apply(data));
        Assert.Equal([0, 0xFF, 0xFF, 0xFF, 0x7F, 5, 6, 7], new SetInteger(1, 4, 0x7FFFFFFF, BigEndian: false).Apply(data));
        Assert.Equal([0, 1, 0x7F, 0xFF, 4, 5, 6, 7], new SetInteger(2, 2, 0x7FFF, BigEndian: true).Apply(data));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], new AddToInteger(0, 2, 0, BigEndian: false).Apply(data));
        Assert.Equal([0, 0xFF, 2, 3, 4, 5, 6, 7], new AddToInteger(0, 2, -1, BigEndian: true).Apply([1, 0, 2, 3, 4, 5, 6, 7]));
        Assert.Equal([0xFF, 0xFF, 2, 3, 4, 5, 6, 7], new AddToInteger(0, 2, -2, BigEndian: false).Apply([1, 0, 2, 3, 4, 5, 6, 7]));
        Assert.Equal([0, 1, 2], new Truncate(3).Apply(data));
        Assert.Equal([0, 4, 5, 6, 7], new RemoveChunk(1, 3).Apply(data));
        Assert.Equal([0, 1, 2, 5, 6, 3, 4, 5, 6, 7], new DuplicateChunk(5, 2, 3).Apply(data));
        Assert.Equal([0xAB, 0, 1, 2, 3, 4, 5, 6, 7], new InsertByte(0, 0xAB).Apply(data));
    }

    [Fact]
    public void A_result_and_a_clear_error_are_fine()
    {
        Assert.Null(FuzzHarness.Attempt(Target((_, _) => { }), [1], "in.bin").Problem);
        Verdict refused = FuzzHarness.Attempt(Target((_, name) => throw new InvalidDataException($"{name}: byte 3: bad")), [1], "in.bin");
        Assert.Null(refused.Problem);
        Assert.IsType<InvalidDataException>(refused.Error);
    }

    [Fact]
    public void Other_exception_types_are_bugs()
    {
        Verdict v = FuzzHarness.Attempt(Target((bytes, _) => GC.KeepAlive(bytes[bytes.Length])), [1], "in.bin");
        Assert.StartsWith("System.IndexOutOfRangeException: ", v.Problem);
    }

    [Fact]
    public void A_clear_type_that_does_not_name_the_input_or_spans_lines_is_a_bug()
    {
        Assert.NotNull(FuzzHarness.Attempt(Target((_, _) => throw new InvalidDataException("bad")), [1], "in.bin").Problem);
        Assert.NotNull(FuzzHarness.Attempt(Target((_, name) => throw new InvalidDataException($"{name}: bad\nname")), [1], "in.bin").Problem);
    }

    [Fact]
    public void A_reader_that_does_not_return_in_time_is_a_hang()
    {
        using var release = new ManualResetEventSlim();
        Verdict v = FuzzHarness.Attempt(Target((_, _) => release.Wait(), TimeSpan.FromMilliseconds(200)), [1], "in.bin");
        release.Set();

        Assert.True(v.Hung);
        Assert.Contains("hang", v.Problem);
    }

    [Fact]
    public void Allocating_more_than_the_limit_is_a_bug()
    {
        Verdict v = FuzzHarness.Attempt(Target((_, _) => GC.KeepAlive(new byte[100 << 20])), [1], "in.bin");
        Assert.StartsWith("allocated 100 MB", v.Problem);
    }
}
