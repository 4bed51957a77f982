namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>Which member of OTLP's <c>AnyValue</c> oneof is set.</summary>
public enum OtlpValueKind
{
    /// <summary>No value (an empty <c>AnyValue</c>).</summary>
    Empty,

    /// <summary><c>string_value</c>.</summary>
    String,

    /// <summary><c>bool_value</c>.</summary>
    Bool,

    /// <summary><c>int_value</c> (int64).</summary>
    Int,

    /// <summary><c>double_value</c>.</summary>
    Double,

    /// <summary><c>bytes_value</c>.</summary>
    Bytes,

    /// <summary><c>array_value</c>.</summary>
    Array,

    /// <summary><c>kvlist_value</c>.</summary>
    KeyValueList,
}
