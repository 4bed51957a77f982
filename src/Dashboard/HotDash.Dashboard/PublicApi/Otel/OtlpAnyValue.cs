using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>An OTLP attribute value (<c>opentelemetry.proto.common.v1.AnyValue</c>); only the member named by <see cref="Kind"/> is meaningful.</summary>
public sealed record OtlpAnyValue(OtlpValueKind Kind)
{
    /// <summary>The empty value.</summary>
    public static readonly OtlpAnyValue Empty = new(OtlpValueKind.Empty);

    /// <summary><c>string_value</c>.</summary>
    public string? StringValue { get; init; }

    /// <summary><c>bool_value</c>.</summary>
    public bool BoolValue { get; init; }

    /// <summary><c>int_value</c>.</summary>
    public long IntValue { get; init; }

    /// <summary><c>double_value</c>.</summary>
    public double DoubleValue { get; init; }

    /// <summary><c>bytes_value</c>.</summary>
    public ImmutableArray<byte> BytesValue { get; init; } = [];

    /// <summary><c>array_value.values</c>.</summary>
    public ImmutableArray<OtlpAnyValue> ArrayValues { get; init; } = [];

    /// <summary><c>kvlist_value.values</c>.</summary>
    public ImmutableArray<OtlpKeyValue> KeyValues { get; init; } = [];

    /// <summary>A string value.</summary>
    public static OtlpAnyValue String(string value) => new(OtlpValueKind.String) { StringValue = value };

    /// <summary>A boolean value.</summary>
    public static OtlpAnyValue Bool(bool value) => new(OtlpValueKind.Bool) { BoolValue = value };

    /// <summary>An integer value.</summary>
    public static OtlpAnyValue Int(long value) => new(OtlpValueKind.Int) { IntValue = value };

    /// <summary>A double value.</summary>
    public static OtlpAnyValue Double(double value) => new(OtlpValueKind.Double) { DoubleValue = value };

    /// <summary>A bytes value.</summary>
    public static OtlpAnyValue Bytes(ImmutableArray<byte> value) => new(OtlpValueKind.Bytes) { BytesValue = value };

    /// <summary>An array value.</summary>
    public static OtlpAnyValue Array(ImmutableArray<OtlpAnyValue> values) => new(OtlpValueKind.Array) { ArrayValues = values };

    /// <summary>A key/value list value.</summary>
    public static OtlpAnyValue KeyValueList(ImmutableArray<OtlpKeyValue> values) => new(OtlpValueKind.KeyValueList) { KeyValues = values };
}
