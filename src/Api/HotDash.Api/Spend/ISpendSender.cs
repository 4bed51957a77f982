using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Spend;

/// <summary>Where <see cref="SpendShipper"/> sends its batches; throws when the batch may not have been stored.</summary>
internal interface ISpendSender
{
    /// <summary>Stores the rows durably (idempotent by request id); returns how many were new.</summary>
    Task<int> SendAsync(ImmutableArray<SpendRow> rows, CancellationToken cancellationToken);
}
