using System.Buffers.Binary;
using System.Text;

namespace Portal.Benchmarks.Driver;

internal enum FrameType
{
    Element = 1,
    Text = 2,
    Attribute = 3,
    Component = 4,
    Region = 5,
    ElementReferenceCapture = 6,
    Markup = 8,
    NamedEvent = 10,
}

internal enum EditType
{
    PrependFrame = 1,
    RemoveFrame = 2,
    SetAttribute = 3,
    RemoveAttribute = 4,
    UpdateText = 5,
    StepIn = 6,
    StepOut = 7,
    UpdateMarkup = 8,
    PermutationListEntry = 9,
    PermutationListEnd = 10,
}

internal readonly record struct RenderFrame(FrameType Type, int SubtreeLength, int ComponentId, string? Name, string? Value, ulong EventHandlerId);

internal readonly record struct RenderEdit(EditType Type, int SiblingIndex, int NewTreeIndex, string? RemovedAttributeName);

internal sealed record ComponentDiff(int ComponentId, IReadOnlyList<RenderEdit> Edits);

/// <summary>
/// Decodes the binary render batch that the server sends with "JS.RenderBatch" (the out-of-process format that
/// blazor.web.js reads in OutOfProcessRenderBatch.ts). The last five little-endian int32s point at the updated
/// components, the reference frames (20 bytes each), the disposed component ids, the disposed event handler ids
/// and the string table (LEB128-prefixed UTF-8).
/// </summary>
internal sealed class RenderBatchReader
{
    private readonly byte[] _data;
    private readonly int _stringTable;

    private RenderBatchReader(byte[] data)
    {
        _data = data;
        _stringTable = Int32(data.Length - 4);
        Diffs = ReadDiffs(Int32(data.Length - 20));
        ReferenceFrames = ReadFrames(Int32(data.Length - 16));
        DisposedComponentIds = ReadInt32s(Int32(data.Length - 12));
        DisposedEventHandlerIds = ReadUInt64s(Int32(data.Length - 8));
    }

    public IReadOnlyList<ComponentDiff> Diffs { get; }

    public IReadOnlyList<RenderFrame> ReferenceFrames { get; }

    public IReadOnlyList<int> DisposedComponentIds { get; }

    public IReadOnlyList<ulong> DisposedEventHandlerIds { get; }

    public static RenderBatchReader Read(byte[] data) => new(data);

    private List<ComponentDiff> ReadDiffs(int position)
    {
        var count = Int32(position);
        var diffs = new List<ComponentDiff>(count);
        for (var i = 0; i < count; i++)
        {
            var diffPosition = Int32(position + 4 + (i * 4));
            var componentId = Int32(diffPosition);
            var editCount = Int32(diffPosition + 4);
            var edits = new List<RenderEdit>(editCount);
            for (var e = 0; e < editCount; e++)
            {
                var at = diffPosition + 8 + (e * 16);
                var type = (EditType)Int32(at);
                edits.Add(new RenderEdit(type, Int32(at + 4), Int32(at + 8), type == EditType.RemoveAttribute ? String(Int32(at + 12)) : null));
            }

            diffs.Add(new ComponentDiff(componentId, edits));
        }

        return diffs;
    }

    private List<RenderFrame> ReadFrames(int position)
    {
        var count = Int32(position);
        var frames = new List<RenderFrame>(count);
        for (var i = 0; i < count; i++)
        {
            var at = position + 4 + (i * 20);
            var type = (FrameType)Int32(at);
            frames.Add(type switch
            {
                FrameType.Element => new RenderFrame(type, Int32(at + 4), 0, String(Int32(at + 8)), null, 0),
                FrameType.Text or FrameType.Markup or FrameType.ElementReferenceCapture => new RenderFrame(type, 1, 0, null, String(Int32(at + 4)), 0),
                FrameType.Attribute => new RenderFrame(type, 1, 0, String(Int32(at + 4)), String(Int32(at + 8)), BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(at + 12))),
                FrameType.Component => new RenderFrame(type, Int32(at + 4), Int32(at + 8), null, null, 0),
                FrameType.Region => new RenderFrame(type, Int32(at + 4), 0, null, null, 0),
                _ => new RenderFrame(type, 1, 0, null, null, 0),
            });
        }

        return frames;
    }

    private List<int> ReadInt32s(int position)
    {
        var count = Int32(position);
        var values = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(Int32(position + 4 + (i * 4)));
        }

        return values;
    }

    private List<ulong> ReadUInt64s(int position)
    {
        var count = Int32(position);
        var values = new List<ulong>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(position + 4 + (i * 8))));
        }

        return values;
    }

    private int Int32(int position) => BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(position));

    private string? String(int index)
    {
        if (index == -1)
        {
            return null;
        }

        var position = Int32(_stringTable + (index * 4));
        var length = 0;
        var shift = 0;
        byte b;
        do
        {
            b = _data[position++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return Encoding.UTF8.GetString(_data, position, length);
    }
}
