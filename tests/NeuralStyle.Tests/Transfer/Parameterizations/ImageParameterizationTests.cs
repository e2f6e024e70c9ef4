using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer.Parameterizations;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer.Parameterizations;

/// <summary>
/// The Fourier and pyramid parameterisations against numpy renderings (Fixtures/parameterizations, made by
/// tests/fixture-scripts/make_parameterization_fixtures.py), and every parameterisation's encoding against its rendering.
/// </summary>
public class ImageParameterizationTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "parameterizations", "parameterizations.json")))
            .RootElement.GetProperty("cases").EnumerateArray()]);

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 6; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => (float)v.GetDouble())];

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Rendering_matches_the_numpy_reference(int index)
    {
        JsonElement c = Cases.Value[index];
        int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
        string kind = c.GetProperty("kind").GetString()!;
        float[] variable = Floats(c.GetProperty("variable"));
        float[] expected = Floats(c.GetProperty("image"));
        using Tensor saved = kind == "fourier"
            ? tensor(variable).reshape(1, 3, h, (w / 2) + 1, 2)
            : tensor(variable);
        using IImageParameters parameters = ImageParameters.FromVariable(kind == "fourier" ? ImageParameterization.Fourier : ImageParameterization.Pyramid, saved, h, w, colors: null);
        using Tensor image = parameters.Render().detach();
        Assert.Equal([1L, 3, h, w], image.shape);
        float[] actual = image.data<float>().ToArray();
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 2e-5 * scale, $"{kind} {h}x{w} value {i}: {actual[i]} against numpy's {expected[i]}");
        }
    }

    [Fact]
    public void Pyramid_levels_halve_down_to_about_eight_pixels()
    {
        foreach (JsonElement c in Cases.Value.Where(c => c.GetProperty("kind").GetString() == "pyramid"))
        {
            var expected = c.GetProperty("levels").EnumerateArray().Select(l => ((long)l[0].GetInt32(), (long)l[1].GetInt32())).ToArray();
            Assert.Equal(expected, PyramidParameters.Levels(c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32()));
        }

        Assert.Equal([(170L, 256L), (85, 128), (43, 64), (22, 32), (11, 16)], PyramidParameters.Levels(170, 256));
    }

    public static TheoryData<ImageParameterization, bool, int, int> Encodings()
    {
        var data = new TheoryData<ImageParameterization, bool, int, int>();
        foreach (ImageParameterization kind in Enum.GetValues<ImageParameterization>())
        {
            data.Add(kind, false, 23, 30);
            data.Add(kind, true, 23, 30);
            data.Add(kind, true, 64, 41);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Encoding_an_image_renders_it_back(ImageParameterization kind, bool decorrelate, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        Tensor image = (randn([1, 3, height, width], generator: generator) * 60) + 20;
        Tensor style = randn([1, 3, 17, 19], generator: generator) * 40;
        using ColorBasis? colors = decorrelate ? ColorBasis.From(image, [style]) : null;
        using IImageParameters parameters = ImageParameters.Encode(kind, image, colors);
        Assert.True(parameters.Variable.requires_grad);
        Assert.Equal(kind == ImageParameterization.Pixel && !decorrelate, parameters.IsImage);
        Tensor rendered = parameters.Render();
        double error = (rendered.detach() - image).abs().max().item<float>();
        Assert.True(error < 1e-3, $"{kind}, decorrelated {decorrelate}: largest difference {error} on values of about 100");

        // The rendering is differentiable in the variable.
        rendered.sum().backward();
        Assert.NotNull(parameters.Variable.grad);
        Assert.True(parameters.Variable.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void A_saved_variable_of_the_wrong_size_is_refused()
    {
        using Tensor fourier = zeros([1, 3, 8, 5, 2]);
        var error = Assert.Throws<ArgumentException>(() => ImageParameters.FromVariable(ImageParameterization.Fourier, fourier, 8, 10, null));
        Assert.Contains("1x3x8x6x2", error.Message);
        using Tensor pyramid = zeros(10);
        Assert.Throws<ArgumentException>(() => ImageParameters.FromVariable(ImageParameterization.Pyramid, pyramid, 8, 10, null));
        using Tensor pixels = zeros(1, 3, 8, 9);
        Assert.Throws<ArgumentException>(() => ImageParameters.FromVariable(ImageParameterization.Pixel, pixels, 8, 10, null));
    }

    [Fact]
    public void Fourier_steps_move_coarse_structure_more_than_fine()
    {
        // The same change on every coefficient: the rendered change concentrates in low frequencies (what the
        // parameterisation is for). Measured as the change's energy in the lowest quarter of frequencies against the rest.
        using var scope = NewDisposeScope();
        Tensor image = zeros(1, 3, 32, 32);
        using IImageParameters parameters = ImageParameters.Encode(ImageParameterization.Fourier, image, null);
        using var generator = new Generator(3);
        using (no_grad())
        {
            parameters.Variable.add_(randn(parameters.Variable.shape, generator: generator).sign());
        }

        Tensor change = parameters.Render().detach();
        Tensor spectrum = fft.rfft2(change).abs().square();
        Tensor fy = fft.fftfreq(32).abs().unsqueeze(1), fx = fft.rfftfreq(32).unsqueeze(0);
        Tensor low = ((fy < 0.125) & (fx < 0.125)).to_type(ScalarType.Float32);
        double lowEnergy = (spectrum * low).sum().item<float>(), total = spectrum.sum().item<float>();
        // Low frequencies are 1/16 of the spectrum; with pixels (white noise) they would hold about that share.
        Assert.True(lowEnergy / total > 0.5, $"low-frequency share {lowEnergy / total}");
        // And the pixel-space step is about one learning rate (the scale's normalisation).
        double rms = change.square().mean().sqrt().item<float>();
        Assert.InRange(rms, 0.5, 2.0);
    }
}
