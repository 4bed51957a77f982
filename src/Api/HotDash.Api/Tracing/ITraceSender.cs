using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Tracing;

/// <summary>Where <see cref="TraceShipper"/> sends its batches; throws when the batch may not have been taken.</summary>
internal interface ITraceSender
{
    /// <summary>Hands the events over; completes once the receiver holds them durably (re-sending is harmless).</summary>
    Task SendAsync(ImmutableArray<TraceEvent> events, CancellationToken cancellationToken);
}
