namespace NeuralStyle.Weights.Cache;

/// <summary>The weight files the program knows without a catalog.json: VGG-19 in its four published forms.</summary>
/// <remarks>
/// Sizes and hashes from the publishers where they publish them (torchvision's file name carries its SHA-256 prefix;
/// the full hash and the MatConvNet file's were measured on the files; the Caffe model's MD5 is the one
/// jcjohnson/neural-style publishes). One place for this metadata: the commands, the README table and
/// <c>--network NAME</c> all read it from here.
/// </remarks>
public static class KnownWeights
{
    private const string VggLicence = "CC BY 4.0 (weights by the Oxford VGG group, Simonyan and Zisserman)";
    private const string CaffeInput = "BGR, 0..255, minus the mean pixel (103.939, 116.779, 123.68)";

    /// <summary>The built-in entries, in the order <c>weights list</c> shows them.</summary>
    public static IReadOnlyList<WeightsEntry> BuiltIn { get; } =
    [
        new(
            "vgg19",
            "vgg19-dcbb9e9d.pth",
            "pth",
            "vgg19",
            574_673_361,
            new WeightsVerification(Sha256: "dcbb9e9dad569fff7a846263a77324fc34978fea2bfb039c012d710e1776ae44"),
            ["https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"],
            VggLicence + "; torchvision's code BSD-3-Clause",
            "RGB, 0..1, normalised by mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225)"),
        new(
            "vgg19-caffe",
            "VGG_ILSVRC_19_layers.caffemodel",
            "caffemodel",
            "vgg19",
            574_671_192,
            new WeightsVerification(Md5: "b5c644beabd7cf06bdd9065cfd674c97"),
            ["http://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/VGG_ILSVRC_19_layers.caffemodel"],
            VggLicence,
            CaffeInput),
        new(
            "vgg19-caffe-pth",
            "vgg19-d01eb7cb.pth",
            "pth",
            "vgg19",
            null,
            new WeightsVerification(Sha256Prefix: "d01eb7cb"),
            ["https://web.eecs.umich.edu/~justincj/models/vgg19-d01eb7cb.pth"],
            VggLicence + "; converted from Caffe by jcjohnson/pytorch-vgg",
            CaffeInput),
        new(
            "vgg19-matconvnet",
            "imagenet-vgg-verydeep-19.mat",
            "mat",
            "vgg19",
            534_904_783,
            new WeightsVerification(Sha256: "abdb57167f82a2a1fbab1e1c16ad9373411883f262a1a37ee5db2e6fb0044695", Md5: "106118b7cf60435e6d8e04f6a6dc3657"),
            [
                "https://www.vlfeat.org/matconvnet/models/imagenet-vgg-verydeep-19.mat",
                // The same file over plain HTTP: users report the HTTPS host's certificate expiring; the SHA-256 guards it.
                "http://www.vlfeat.org/matconvnet/models/imagenet-vgg-verydeep-19.mat",
            ],
            VggLicence,
            "RGB, 0..255, minus the mean pixel (123.68, 116.779, 103.939)"),
    ];
}
