using SkiaSharp;

namespace Portal.Features.Documents;

/// <summary>
/// Images are decoded and encoded again before they are stored: only the pixels survive, never the metadata a phone
/// writes into a photo (the EXIF GPS position can lead to where a survivor lives, the camera's serial number to whose
/// phone took it). The EXIF orientation is applied to the pixels first, so a photo taken upright stays upright.
/// </summary>
public static class ImageCleaner
{
    /// <summary>Decoding takes four bytes a pixel; a larger image is refused rather than allowed to exhaust memory.</summary>
    public const int MaxPixels = 40_000_000;

    private const int JpegQuality = 90;

    /// <summary>The image without metadata, in the same format; null when it cannot be decoded or is too large.</summary>
    public static byte[]? Clean(byte[] image, SKEncodedImageFormat format)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data);
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return null;
        }

        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return null;
        }

        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var encoded = (upright ?? decoded).Encode(format, JpegQuality);
        return encoded?.ToArray();
    }

    /// <summary>The pixels turned as the EXIF orientation says; null when they are upright already.</summary>
    private static SKBitmap? Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return null;
        }

        var turned = origin >= SKEncodedOrigin.LeftTop;
        var width = turned ? source.Height : source.Width;
        var height = turned ? source.Width : source.Height;

        // Where each source pixel (x, y) lands: x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY.
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, width, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, width, -1, 0, height, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, height, 0, 0, 1),
            _ => SKMatrix.Identity,
        };

        var result = new SKBitmap(new SKImageInfo(width, height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(matrix);
        canvas.DrawBitmap(source, 0, 0);
        canvas.Flush();
        return result;
    }
}
