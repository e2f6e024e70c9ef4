#!/usr/bin/python3
"""Generates the image fixtures used by tests/NeuralStyle.Tests/Imaging.

Run with the system interpreter that has Pillow 9.4 and numpy:

    /usr/bin/python3 tests/fixture-scripts/make_image_fixtures.py

Everything is derived from fixed random seeds, so re-running reproduces the
same files (modulo encoder versions for the lossy JPEG/WebP ones, whose
expected values are re-derived from the same run anyway).

Expected values are stored next to the inputs as binary PPM (P6, 8-bit RGB)
or as a small float container (.bin: int32 width, int32 height, then
width*height*3 float32 values, HWC RGB, all little endian).
"""

import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageOps

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NeuralStyle.Tests", "Fixtures", "images")


def path(name):
    return os.path.join(OUT, name)


def write_ppm(name, rgb):
    rgb = np.asarray(rgb, dtype=np.uint8)
    h, w, c = rgb.shape
    assert c == 3
    with open(path(name), "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        f.write(rgb.tobytes())


def write_float_bin(name, arr):
    arr = np.asarray(arr, dtype="<f4")
    h, w, c = arr.shape
    assert c == 3
    with open(path(name), "wb") as f:
        f.write(struct.pack("<ii", w, h))
        f.write(arr.tobytes())


def expected_from_pil(image_name, expected_name, transpose=False):
    """Stores what PIL's convert('RGB') (the seed's decoder) makes of a fixture."""
    im = Image.open(path(image_name))
    if transpose:
        im = ImageOps.exif_transpose(im)
    write_ppm(expected_name, np.array(im.convert("RGB")))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png16(name, arr):
    """PIL cannot write 16-bit RGB PNGs, so this writes one by hand (colour type 2 or 0, depth 16)."""
    arr = np.asarray(arr, dtype=">u2")
    if arr.ndim == 2:
        h, w = arr.shape
        colour_type = 0
    else:
        h, w, _ = arr.shape
        colour_type = 2
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))
    data = b"\x89PNG\r\n\x1a\n"
    data += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, colour_type, 0, 0, 0))
    data += png_chunk(b"IDAT", zlib.compress(raw, 9))
    data += png_chunk(b"IEND", b"")
    with open(path(name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20240607)

    # --- plain decoding -------------------------------------------------------
    rgb = rng.randint(0, 256, size=(7, 9, 3)).astype(np.uint8)
    Image.fromarray(rgb, "RGB").save(path("rgb.png"))
    expected_from_pil("rgb.png", "rgb.expected.ppm")

    gray = rng.randint(0, 256, size=(7, 9)).astype(np.uint8)
    Image.fromarray(gray, "L").save(path("gray.png"))
    expected_from_pil("gray.png", "gray.expected.ppm")

    la = np.stack([gray, rng.randint(0, 256, size=(7, 9)).astype(np.uint8)], axis=-1)
    la[0, 0, 1] = 0  # fully transparent, grey value must survive
    la[0, 1, 1] = 1
    Image.fromarray(la, "LA").save(path("gray_alpha.png"))
    expected_from_pil("gray_alpha.png", "gray_alpha.expected.ppm")

    palette_colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (250, 200, 10), (17, 34, 51), (128, 128, 128)]
    indices = rng.randint(0, len(palette_colours), size=(7, 9)).astype(np.uint8)
    pal = Image.fromarray(indices, "P")
    pal.putpalette([c for colour in palette_colours for c in colour])
    pal.save(path("palette.png"))
    expected_from_pil("palette.png", "palette.expected.ppm")
    # Index 3 transparent: convert('RGB') keeps its palette colour.
    pal.save(path("palette_trns.png"), transparency=3)
    expected_from_pil("palette_trns.png", "palette_trns.expected.ppm")

    rgba = np.concatenate([rgb, rng.randint(0, 256, size=(7, 9, 1)).astype(np.uint8)], axis=-1)
    rgba[0, 0] = (200, 100, 50, 0)  # invisible colour that must not turn black
    rgba[0, 1] = (200, 100, 50, 1)
    rgba[0, 2] = (200, 100, 50, 128)  # premultiplication would give ~ (100, 50, 25)
    rgba[0, 3] = (255, 255, 255, 64)
    Image.fromarray(rgba, "RGBA").save(path("rgba.png"))
    expected_from_pil("rgba.png", "rgba.expected.ppm")

    rgb16 = rng.randint(0, 65536, size=(5, 6, 3)).astype(np.uint16)
    rgb16[0, :3] = [[0, 0, 0], [65535, 65535, 65535], [257 * 100, 257 * 200, 257 * 50]]
    write_png16("rgb16.png", rgb16)
    # Reduction to 8 bits: the nearest 8-bit level (v / 257); tests allow +-1.
    write_ppm("rgb16.expected.ppm", np.round(rgb16 / 257.0))

    gray16 = rng.randint(0, 65536, size=(5, 6)).astype(np.uint16)
    write_png16("gray16.png", gray16)
    write_ppm("gray16.expected.ppm", np.repeat(np.round(gray16 / 257.0)[..., None], 3, axis=-1))

    # Smooth content with mild noise: JPEG decoders (PIL's and Skia's libjpeg-turbo) agree closely on it.
    yy, xx = np.mgrid[0:16, 0:16]
    smooth = np.stack([xx * 15, yy * 15, 255 - (xx + yy) * 7], axis=-1) + rng.randint(-6, 7, size=(16, 16, 3))
    smooth = np.clip(smooth, 0, 255).astype(np.uint8)
    Image.fromarray(smooth, "RGB").save(path("jpeg444.jpg"), quality=90, subsampling=0)
    expected_from_pil("jpeg444.jpg", "jpeg444.expected.ppm")
    Image.fromarray(smooth, "RGB").save(path("jpeg420.jpg"), quality=90, subsampling=2)
    expected_from_pil("jpeg420.jpg", "jpeg420.expected.ppm")
    Image.fromarray(smooth, "RGB").convert("L").save(path("jpeg_gray.jpg"), quality=90)
    expected_from_pil("jpeg_gray.jpg", "jpeg_gray.expected.ppm")

    Image.fromarray(rgb, "RGB").save(path("lossless.webp"), lossless=True)
    expected_from_pil("lossless.webp", "lossless.expected.ppm")
    Image.fromarray(smooth, "RGB").save(path("lossy.webp"), quality=90)
    expected_from_pil("lossy.webp", "lossy.expected.ppm")
    Image.fromarray(rgba, "RGBA").save(path("rgba_lossless.webp"), lossless=True, exact=True)
    expected_from_pil("rgba_lossless.webp", "rgba_lossless.expected.ppm")

    # Odd width exercises BMP row padding.
    Image.fromarray(rgb[:, :5], "RGB").save(path("rgb.bmp"))
    expected_from_pil("rgb.bmp", "rgb_bmp.expected.ppm")

    frame0 = Image.fromarray(indices, "P")
    frame0.putpalette([c for colour in palette_colours for c in colour])
    frame1 = Image.fromarray(((indices + 1) % len(palette_colours)).astype(np.uint8), "P")
    frame1.putpalette([c for colour in palette_colours for c in colour])
    frame0.save(path("animated.gif"), save_all=True, append_images=[frame1], duration=100, loop=0)
    expected_from_pil("animated.gif", "animated_gif.expected.ppm")  # PIL opens on the first frame

    # --- EXIF orientation -----------------------------------------------------
    # The visual (correctly oriented) image: 3x2 blocks of 8x8 pixels, every block a
    # different colour, so any flip or rotation is detectable. Blocks are aligned with
    # the 8x8 JPEG grid and encoded 4:4:4, so they survive compression nearly exactly.
    block_colours = np.array(
        [[(230, 20, 20), (20, 230, 20), (20, 20, 230)], [(230, 230, 20), (20, 230, 230), (240, 240, 240)]],
        dtype=np.uint8,
    )
    visual = np.repeat(np.repeat(block_colours, 8, axis=0), 8, axis=1)  # 16 x 24
    write_ppm("orient.expected.ppm", visual)
    # exif_transpose applies these to the stored image; storing the inverse makes
    # the tagged file display as `visual`.
    inverse = {
        1: None,
        2: Image.FLIP_LEFT_RIGHT,
        3: Image.ROTATE_180,
        4: Image.FLIP_TOP_BOTTOM,
        5: Image.TRANSPOSE,
        6: Image.ROTATE_90,  # exif_transpose uses ROTATE_270
        7: Image.TRANSVERSE,
        8: Image.ROTATE_270,  # exif_transpose uses ROTATE_90
    }
    for orientation, op in inverse.items():
        stored = Image.fromarray(visual, "RGB")
        if op is not None:
            stored = stored.transpose(op)
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = "orient_%d.jpg" % orientation
        stored.save(path(name), quality=95, subsampling=0, exif=exif.tobytes())
        check = np.array(ImageOps.exif_transpose(Image.open(path(name))).convert("RGB")).astype(int)
        assert check.shape == visual.shape and np.abs(check - visual).max() < 12, orientation

    # --- broken files ---------------------------------------------------------
    with open(path("not_an_image.png"), "wb") as f:
        f.write(b"This is a text file with a .png extension, not an image.\n")
    noise = rng.randint(0, 256, size=(32, 32, 3)).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise, "RGB").save(buf, format="PNG")
    data = buf.getvalue()
    with open(path("truncated.png"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    buf = io.BytesIO()
    Image.fromarray(noise, "RGB").save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    with open(path("truncated.jpg"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])

    # --- resizing -------------------------------------------------------------
    # A gradient with noise and a hard edge, as 8-bit (what scipy.misc.imresize fed to PIL).
    yy, xx = np.mgrid[0:31, 0:41]
    src = np.stack([xx * 6.0, yy * 8.0, 128 + 100 * np.sin(xx / 3.0 + yy / 5.0)], axis=-1)
    src += rng.uniform(-25, 25, size=src.shape)
    src[:, 20:, 0] = np.where(yy[:, 20:] % 7 < 3, 255, 0)
    src = np.clip(np.round(src), 0, 255).astype(np.uint8)
    Image.fromarray(src, "RGB").save(path("resize_src.png"))
    for w, h in [(17, 13), (5, 3), (83, 59), (29, 50), (41, 20), (1, 1)]:
        out = Image.fromarray(src, "RGB").resize((w, h), Image.BILINEAR)
        out.save(path("resize_src_%dx%d.png" % (w, h)))

    # The same filter on float data (PIL mode 'F', one band at a time), which has no
    # 8-bit rounding of the intermediate and so pins the algorithm down to float precision.
    yy, xx = np.mgrid[0:17, 0:23]
    fsrc = np.stack([xx * 12.5 - 20, yy * 17.0, 300 * np.cos(xx / 4.0) * np.sin(yy / 3.0)], axis=-1)
    fsrc = (fsrc + rng.uniform(-40, 40, size=fsrc.shape)).astype(np.float32)
    write_float_bin("resize_float_src.bin", fsrc)
    for w, h in [(10, 7), (37, 26), (4, 30)]:
        bands = [
            np.array(Image.fromarray(np.ascontiguousarray(fsrc[..., c]), "F").resize((w, h), Image.BILINEAR))
            for c in range(3)
        ]
        write_float_bin("resize_float_%dx%d.bin" % (w, h), np.stack(bands, axis=-1))

    # --- colour preservation ------------------------------------------------
    # Mirrors anishathalye/neural-style's --preserve-colors code path literally.
    content = rng.randint(0, 256, size=(12, 16, 3)).astype(np.float64)
    Image.fromarray(content.astype(np.uint8), "RGB").save(path("color_content.png"))
    stylized = rng.uniform(-30, 290, size=(12, 16, 3)).astype(np.float32)
    write_float_bin("color_stylized.bin", stylized)

    original_image = np.clip(content, 0, 255)
    styled_image = np.clip(stylized.astype(np.float64), 0, 255)
    styled_grayscale = np.dot(styled_image[..., :3], [0.299, 0.587, 0.114])
    styled_grayscale_rgb = np.empty(styled_grayscale.shape + (3,), dtype=np.float32)
    styled_grayscale_rgb[..., 2] = styled_grayscale_rgb[..., 1] = styled_grayscale_rgb[..., 0] = styled_grayscale
    styled_grayscale_yuv = np.array(Image.fromarray(styled_grayscale_rgb.astype(np.uint8)).convert("YCbCr"))
    original_yuv = np.array(Image.fromarray(original_image.astype(np.uint8)).convert("YCbCr"))
    combined_yuv = np.empty(original_image.shape, dtype=np.uint8)
    combined_yuv[..., 0] = styled_grayscale_yuv[..., 0]
    combined_yuv[..., 1] = original_yuv[..., 1]
    combined_yuv[..., 2] = original_yuv[..., 2]
    img_out = np.array(Image.fromarray(combined_yuv, "YCbCr").convert("RGB"))
    Image.fromarray(img_out, "RGB").save(path("color_expected.png"))
    # The same transfer in exact (double) arithmetic with the JFIF formulas, no 8-bit steps. PIL's
    # conversions truncate instead of rounding and the seed truncates luma, so the literal pipeline
    # above is biased about one level dark and differs from this by up to ~4 levels.
    def to_ycbcr(c):
        r, g, b = c[..., 0], c[..., 1], c[..., 2]
        return (
            0.299 * r + 0.587 * g + 0.114 * b,
            128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
            128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
        )

    luma, _, _ = to_ycbcr(styled_image)
    _, cb, cr = to_ycbcr(original_image)
    exact = np.stack(
        [luma + 1.402 * (cr - 128), luma - 0.344136 * (cb - 128) - 0.714136 * (cr - 128), luma + 1.772 * (cb - 128)],
        axis=-1,
    )
    write_float_bin("color_expected_exact.bin", np.clip(exact, 0, 255))
    # PIL's own YCbCr of the content, for the conversion helpers.
    write_ppm("color_content_ycbcr.expected.ppm", original_yuv)

    total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT))
    print("wrote %d files, %d bytes, to %s" % (len(os.listdir(OUT)), total, os.path.normpath(OUT)), file=sys.stderr)


if __name__ == "__main__":
    main()
