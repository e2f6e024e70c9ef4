using NeuralStyle.Weights.Mat;
using Xunit;

namespace NeuralStyle.Tests.Mat;

/// <summary>
/// Every truncation of three fixtures (compressed, uncompressed, big-endian): reading must succeed with fewer
/// variables or throw a <see cref="MatFileException"/> naming the file and offset. Random
/// corruption (bit flips, absurd tag words, damage inside compressed elements) is the fuzz test's
/// (<see cref="Fuzz.ReaderFuzzTests"/>, targets mat, mat-stream and mat-inflated).
/// </summary>
public sealed class MatCorruptionTests
{
    [Fact]
    public void Every_truncation_of_a_compressed_and_an_uncompressed_fixture_fails_cleanly()
    {
        foreach (string fixture in new[] { "scipy-v5.mat", "vgg-mini-current.mat", "hand-bigendian.mat" })
        {
            byte[] bytes = File.ReadAllBytes(MatFixtures.Path_(fixture));
            int complete = MatFile.Read(new MemoryStream(bytes), fixture).OrderedVariables.Count;
            for (int length = 0; length < bytes.Length; length++)
            {
                string name = $"{fixture}[..{length}]";
                try
                {
                    // Cut exactly between variables, the file is a valid one with fewer of them.
                    Assert.True(MatFile.Read(new MemoryStream(bytes, 0, length), name).OrderedVariables.Count < complete);
                }
                catch (MatFileException e)
                {
                    Assert.StartsWith($"{name}: byte ", e.Message);
                }
            }
        }
    }
}
