using System.Runtime.CompilerServices;

namespace HotDash.Grains.Caching;

/// <summary>The rows of a search block still in the running when so few are left that they are finished one by one.</summary>
[InlineArray(Length)]
internal struct SemanticFewRows
{
    /// <summary>The most rows finished one by one; a block with more left goes on coordinate by coordinate.</summary>
    public const int Length = 8;

    private int _element0;
}
