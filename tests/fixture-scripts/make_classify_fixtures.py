#!/usr/bin/python3
"""torchvision's classification preprocessing of two example images, for `neural-style classify`'s tests.

  make_classify_fixtures.py [OUTDIR]

OUTDIR defaults to tests/NeuralStyle.Tests/Fixtures/classify. For each case, the image after torchvision's
transforms.Resize(shorter side) and transforms.CenterCrop(crop) on the PIL image (PIL's antialiased bilinear filter,
8-bit), before ToTensor and Normalize, saved losslessly as PNG:

  astronaut-256-224.png   examples/astronaut.png (512x512), Resize(256), CenterCrop(224): the 224 models
  chelsea-342-299.png     examples/chelsea.png (451x300), Resize(342), CenterCrop(299): Inception v3

The C# preprocessing (NeuralStyle.Zoo.ImageNet.ClassificationInput) must reproduce these pixels to within one level.
Needs /usr/bin/python3 with python3-torchvision and python3-pil (Debian 12: torchvision 0.14, Pillow 9.4).
"""
import os
import sys

import PIL
import torchvision
from PIL import Image
from torchvision import transforms

CASES = [("astronaut.png", 256, 224), ("chelsea.png", 342, 299)]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "tests", "NeuralStyle.Tests", "Fixtures", "classify")
    os.makedirs(out, exist_ok=True)
    for name, resize, crop in CASES:
        image = Image.open(os.path.join(root, "examples", name)).convert("RGB")
        result = transforms.CenterCrop(crop)(transforms.Resize(resize)(image))
        target = os.path.join(out, f"{os.path.splitext(name)[0]}-{resize}-{crop}.png")
        result.save(target)
        print(f"{target}: {result.size} (torchvision {torchvision.__version__}, Pillow {PIL.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
