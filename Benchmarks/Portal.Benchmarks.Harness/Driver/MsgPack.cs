using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Portal.Benchmarks.Driver;

/// <summary>
/// The small part of MessagePack that the SignalR hub protocol uses (nil, booleans, integers, floats, strings,
/// binary, arrays and maps). Written by hand so the driver reads whatever arguments the server sends without
/// binding them to parameter types first, and so a later framework change shows up as a clear decoding error.
/// </summary>
internal sealed class MsgPackWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteNil() => WriteByte(0xc0);

    public void Write(bool value) => WriteByte(value ? (byte)0xc3 : (byte)0xc2);

    public void Write(long value)
    {
        if (value >= 0 && value <= 0x7f)
        {
            WriteByte((byte)value);
        }
        else if (value < 0 && value >= -32)
        {
            WriteByte(unchecked((byte)(sbyte)value));
        }
        else
        {
            var span = _buffer.GetSpan(9);
            span[0] = 0xd3;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            _buffer.Advance(9);
        }
    }

    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNil();
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length <= 31)
        {
            WriteByte((byte)(0xa0 | length));
        }
        else if (length <= byte.MaxValue)
        {
            WriteByte(0xd9);
            WriteByte((byte)length);
        }
        else if (length <= ushort.MaxValue)
        {
            WriteByte(0xda);
            WriteUInt16((ushort)length);
        }
        else
        {
            WriteByte(0xdb);
            WriteUInt32((uint)length);
        }

        var span = _buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }

    public void WriteArrayHeader(int count)
    {
        if (count <= 15)
        {
            WriteByte((byte)(0x90 | count));
        }
        else
        {
            WriteByte(0xdc);
            WriteUInt16((ushort)count);
        }
    }

    public void WriteMapHeader(int count)
    {
        if (count <= 15)
        {
            WriteByte((byte)(0x80 | count));
        }
        else
        {
            WriteByte(0xde);
            WriteUInt16((ushort)count);
        }
    }

    /// <summary>Writes any argument the Blazor hub accepts: null, bool, integers and strings.</summary>
    public void WriteValue(object? value)
    {
        switch (value)
        {
            case null: WriteNil(); break;
            case bool b: Write(b); break;
            case int i: Write(i); break;
            case long l: Write(l); break;
            case string s: Write(s); break;
            default: throw new ArgumentException($"The blazorpack protocol does not carry {value.GetType().Name} arguments.", nameof(value));
        }
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    private void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    private void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }
}

/// <summary>Reads one MessagePack value into plain .NET objects: null, bool, long, ulong, double, string, byte[], object?[], Dictionary.</summary>
internal ref struct MsgPackReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public MsgPackReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public object? ReadValue()
    {
        var code = _data[_position++];
        if (code <= 0x7f)
        {
            return (long)code;
        }

        if (code >= 0xe0)
        {
            return (long)unchecked((sbyte)code);
        }

        if (code is >= 0x80 and <= 0x8f)
        {
            return ReadMap(code & 0x0f);
        }

        if (code is >= 0x90 and <= 0x9f)
        {
            return ReadArray(code & 0x0f);
        }

        if (code is >= 0xa0 and <= 0xbf)
        {
            return ReadString(code & 0x1f);
        }

        switch (code)
        {
            case 0xc0: return null;
            case 0xc2: return false;
            case 0xc3: return true;
            case 0xc4: return ReadBytes(Take(1)[0]);
            case 0xc5: return ReadBytes(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
            case 0xc6: return ReadBytes(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
            case 0xca: return (double)BinaryPrimitives.ReadSingleBigEndian(Take(4));
            case 0xcb: return BinaryPrimitives.ReadDoubleBigEndian(Take(8));
            case 0xcc: return (long)Take(1)[0];
            case 0xcd: return (long)BinaryPrimitives.ReadUInt16BigEndian(Take(2));
            case 0xce: return (long)BinaryPrimitives.ReadUInt32BigEndian(Take(4));
            case 0xcf:
                var u = BinaryPrimitives.ReadUInt64BigEndian(Take(8));
                return u <= long.MaxValue ? (long)u : u;
            case 0xd0: return (long)unchecked((sbyte)Take(1)[0]);
            case 0xd1: return (long)BinaryPrimitives.ReadInt16BigEndian(Take(2));
            case 0xd2: return (long)BinaryPrimitives.ReadInt32BigEndian(Take(4));
            case 0xd3: return BinaryPrimitives.ReadInt64BigEndian(Take(8));
            case 0xd9: return ReadString(Take(1)[0]);
            case 0xda: return ReadString(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
            case 0xdb: return ReadString(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
            case 0xdc: return ReadArray(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
            case 0xdd: return ReadArray(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
            case 0xde: return ReadMap(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
            case 0xdf: return ReadMap(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
            default: throw new InvalidDataException($"Unsupported MessagePack code 0x{code:x2} at {_position - 1}.");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private string ReadString(int length) => Encoding.UTF8.GetString(Take(length));

    private byte[] ReadBytes(int length) => Take(length).ToArray();

    private object?[] ReadArray(int count)
    {
        var items = new object?[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = ReadValue();
        }

        return items;
    }

    private Dictionary<string, object?> ReadMap(int count)
    {
        var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadValue()?.ToString() ?? string.Empty;
            map[key] = ReadValue();
        }

        return map;
    }
}
