using Google.Protobuf;

namespace HotDash.Dashboard.Tests.PublicApi.Otel;

/// <summary>Hand-encodes OTLP protobuf messages with <see cref="CodedOutputStream"/>, field by field (no generated code).</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream stream = new();
    private readonly CodedOutputStream output;

    public ProtoWriter() => output = new CodedOutputStream(stream, leaveOpen: true);

    public ProtoWriter Bytes(int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public ProtoWriter Fixed64(int field, ulong value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteFixed64(value);
        return this;
    }

    public ProtoWriter Double(int field, double value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
        return this;
    }

    public ProtoWriter Int64(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Int32(int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
        return this;
    }

    public ProtoWriter Bool(int field, bool value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteBool(value);
        return this;
    }

    public byte[] ToArray()
    {
        output.Flush();
        return stream.ToArray();
    }

    // common.proto KeyValue { key = 1; AnyValue value = 2 }, AnyValue { string 1, bool 2, int64 3, double 4, array 5, kvlist 6, bytes 7 }.
    public static ProtoWriter KeyValue(string key, ProtoWriter value) => new ProtoWriter().String(1, key).Message(2, value);

    public static ProtoWriter StringValue(string value) => new ProtoWriter().String(1, value);

    public static ProtoWriter IntValue(long value) => new ProtoWriter().Int64(3, value);
}
