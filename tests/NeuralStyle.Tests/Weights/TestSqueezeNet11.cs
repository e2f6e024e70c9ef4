using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>
/// A test-only SqueezeNet 1.1 with torchvision's state-dict keys, so that the harness is exercised end to end on a
/// real torchvision model before the zoo's own families exist. (The zoo's SqueezeNet lives in src/NeuralStyle/Zoo.)
/// </summary>
internal sealed class TestSqueezeNet11 : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    public TestSqueezeNet11()
        : base("squeezenet1_1")
    {
        nn.Module<Tensor, Tensor>[] layers =
        [
            nn.Conv2d(3, 64, 3, stride: 2), nn.ReLU(), nn.MaxPool2d(3, 2, ceil_mode: true),
            new Fire(64, 16, 64), new Fire(128, 16, 64), nn.MaxPool2d(3, 2, ceil_mode: true),
            new Fire(128, 32, 128), new Fire(256, 32, 128), nn.MaxPool2d(3, 2, ceil_mode: true),
            new Fire(256, 48, 192), new Fire(384, 48, 192), new Fire(384, 64, 256), new Fire(512, 64, 256),
        ];
        features = nn.Sequential([.. layers.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m))]);
        classifier = nn.Sequential(("0", nn.Dropout(0.5)), ("1", nn.Conv2d(512, 1000, 1)), ("2", nn.ReLU()), ("3", nn.AdaptiveAvgPool2d(1)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return classifier.call(features.call(input)).flatten(1).MoveToOuterDisposeScope();
    }

    private sealed class Fire : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d squeeze;
        private readonly Conv2d expand1x1;
        private readonly Conv2d expand3x3;

        public Fire(int input, int squeezed, int expanded)
            : base("Fire")
        {
            squeeze = nn.Conv2d(input, squeezed, 1);
            expand1x1 = nn.Conv2d(squeezed, expanded, 1);
            expand3x3 = nn.Conv2d(squeezed, expanded, 3, padding: 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            Tensor x = nn.functional.relu(squeeze.call(input));
            return cat([nn.functional.relu(expand1x1.call(x)), nn.functional.relu(expand3x3.call(x))], 1).MoveToOuterDisposeScope();
        }
    }
}
