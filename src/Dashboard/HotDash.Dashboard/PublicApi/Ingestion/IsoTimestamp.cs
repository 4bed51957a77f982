namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>
/// ISO 8601 date-times as Langfuse accepts them (<c>z.iso.datetime({ offset: true })</c>): <c>YYYY-MM-DDTHH:MM</c>,
/// optional seconds and any number of fraction digits, then <c>Z</c>, <c>±HH:MM</c>, <c>±HHMM</c> or <c>±HH</c>. A time
/// without an offset is read as UTC (Langfuse refuses it; the older SDKs sent such times, so HotDash keeps them).
/// </summary>
internal static class IsoTimestamp
{
    /// <summary>Parses <paramref name="text"/> to UTC epoch milliseconds (fraction truncated, as JavaScript's <c>Date</c> does).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long epochMs)
    {
        epochMs = 0;
        // YYYY-MM-DDTHH:MM is the shortest accepted form.
        if (text.Length < 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':')
        {
            return false;
        }
        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) ||
            !TryDigits(text.Slice(8, 2), out var day) || !TryDigits(text.Slice(11, 2), out var hour) ||
            !TryDigits(text.Slice(14, 2), out var minute))
        {
            return false;
        }
        var pos = 16;
        var second = 0;
        var millis = 0;
        if (pos < text.Length && text[pos] == ':')
        {
            if (pos + 3 > text.Length || !TryDigits(text.Slice(pos + 1, 2), out second))
            {
                return false;
            }
            pos += 3;
            if (pos < text.Length && text[pos] == '.')
            {
                pos++;
                var start = pos;
                while (pos < text.Length && char.IsAsciiDigit(text[pos]))
                {
                    if (pos - start < 3)
                    {
                        millis = millis * 10 + (text[pos] - '0');
                    }
                    pos++;
                }
                var digits = pos - start;
                if (digits == 0)
                {
                    return false;
                }
                for (var i = digits; i < 3; i++)
                {
                    millis *= 10;
                }
            }
        }
        var offsetMinutes = 0;
        if (pos < text.Length && text[pos..] is not "Z" && !TryOffset(text[pos..], out offsetMinutes))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var utc = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeMilliseconds();
        epochMs = utc + millis - offsetMinutes * 60_000L;
        return true;
    }

    // ±HH, ±HHMM or ±HH:MM, at most 23:59.
    private static bool TryOffset(ReadOnlySpan<char> rest, out int offsetMinutes)
    {
        offsetMinutes = 0;
        if (rest[0] is not ('+' or '-'))
        {
            return false;
        }
        var body = rest[1..];
        var hours = 0;
        var minutes = 0;
        var ok = body.Length switch
        {
            2 => TryDigits(body, out hours),
            4 => TryDigits(body[..2], out hours) && TryDigits(body[2..], out minutes),
            5 => body[2] == ':' && TryDigits(body[..2], out hours) && TryDigits(body[3..], out minutes),
            _ => false,
        };
        if (!ok || hours > 23 || minutes > 59)
        {
            return false;
        }
        offsetMinutes = (rest[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> span, out int value)
    {
        value = 0;
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
