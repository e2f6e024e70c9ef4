namespace NeuralStyle.Imaging;

/// <summary>What an image file's header says, read without decoding any pixel.</summary>
/// <param name="Width">Width as the image is shown, after the EXIF orientation (what <see cref="ImageReader.Read(string, ImageLimits?)"/> returns).</param>
/// <param name="Height">Height as the image is shown, after the EXIF orientation.</param>
/// <param name="Rotated">The EXIF orientation turns the image a quarter turn, so the stored width and height are swapped.</param>
public readonly record struct ImageHeader(int Width, int Height, bool Rotated)
{
    /// <summary>Width x height.</summary>
    public long Pixels => (long)Width * Height;
}
