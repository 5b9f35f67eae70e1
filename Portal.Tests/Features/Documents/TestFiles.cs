using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Portal.Tests.Features.Documents;

/// <summary>Files as a phone or a scanner makes them, built in memory.</summary>
internal static class TestFiles
{
    public static byte[] Pdf(string text) =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png(int width = 40, int height = 30)
    {
        using var bitmap = Filled(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// A JPEG whose EXIF block holds a GPS position (4°22'N 18°33'E, Bangui) and an orientation of 6 (the camera was
    /// turned: the pixels are stored on their side and are to be shown turned a quarter clockwise).
    /// </summary>
    public static byte[] JpegWithGps(int width, int height)
    {
        using var bitmap = Filled(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = data.ToArray();
        var exif = ExifSegment();
        return [.. jpeg.AsSpan(0, 2), .. exif, .. jpeg.AsSpan(2)];
    }

    private static SKBitmap Filled(int width, int height)
    {
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.SteelBlue);
        using var paint = new SKPaint { Color = SKColors.Orange };
        canvas.DrawRect(0, 0, width / 2f, height / 2f, paint);
        return bitmap;
    }

    /// <summary>APP1 "Exif": a big-endian TIFF with IFD0 (orientation, pointer to the GPS IFD) and a GPS IFD.</summary>
    private static byte[] ExifSegment()
    {
        var tiff = new byte[140];
        var t = tiff.AsSpan();
        "MM"u8.CopyTo(t);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], 42);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], 8);

        // IFD0 at 8: two entries, then the offset of the next IFD (none).
        BinaryPrimitives.WriteUInt16BigEndian(t[8..], 2);
        Entry(t[10..], 0x0112, 3, 1, 6u << 16); // Orientation, SHORT, left-justified in the value field
        Entry(t[22..], 0x8825, 4, 1, 38); // GPS IFD pointer
        BinaryPrimitives.WriteUInt32BigEndian(t[34..], 0);

        // GPS IFD at 38: four entries; the rationals follow at 92 and 116.
        BinaryPrimitives.WriteUInt16BigEndian(t[38..], 4);
        Entry(t[40..], 0x0001, 2, 2, (uint)'N' << 24); // GPSLatitudeRef
        Entry(t[52..], 0x0002, 5, 3, 92); // GPSLatitude
        Entry(t[64..], 0x0003, 2, 2, (uint)'E' << 24); // GPSLongitudeRef
        Entry(t[76..], 0x0004, 5, 3, 116); // GPSLongitude
        BinaryPrimitives.WriteUInt32BigEndian(t[88..], 0);
        Rationals(t[92..], 4, 22, 0);
        Rationals(t[116..], 18, 33, 0);

        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + 6 + tiff.Length));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment.AsSpan(10));
        return segment;
    }

    private static void Entry(Span<byte> at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(at, tag);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], type);
        BinaryPrimitives.WriteUInt32BigEndian(at[4..], count);
        BinaryPrimitives.WriteUInt32BigEndian(at[8..], value);
    }

    private static void Rationals(Span<byte> at, params uint[] wholes)
    {
        for (var i = 0; i < wholes.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(at[(i * 8)..], wholes[i]);
            BinaryPrimitives.WriteUInt32BigEndian(at[(i * 8 + 4)..], 1);
        }
    }
}
