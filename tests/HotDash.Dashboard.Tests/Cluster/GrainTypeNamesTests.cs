using HotDash.Dashboard.Services.Cluster;

namespace HotDash.Dashboard.Tests.Cluster;

public sealed class GrainTypeNamesTests
{
    [Theory]
    [InlineData("HotDash.Grains.Tracing.TraceRollupGrain", "TraceRollupGrain")]
    [InlineData("HotDash.Grains.Tracing.TraceRollupGrain,HotDash.Grains", "TraceRollupGrain")]
    [InlineData("HotDash.Grains.Tracing.TraceRollupGrain, HotDash.Grains, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", "TraceRollupGrain")]
    [InlineData("Orleans.Runtime.Management.ManagementGrain", "ManagementGrain")]
    [InlineData("Outer.Space+NestedGrain", "Space.NestedGrain")]
    [InlineData("PlainGrain", "PlainGrain")]
    [InlineData("  Ns.Padded  ", "Padded")]
    public void Shorten_QualifiedName_KeepsTheClassName(string full, string expected) =>
        Assert.Equal(expected, GrainTypeNames.Shorten(full));

    [Theory]
    [InlineData("Ns.CacheGrain`1[[System.String, System.Private.CoreLib]]", "CacheGrain<String>")]
    [InlineData("Ns.PairGrain`2[[System.String, System.Private.CoreLib],[Ns.Item, Asm]],Asm", "PairGrain<String, Item>")]
    [InlineData("Ns.PairGrain`2[System.String,Ns.Item]", "PairGrain<String, Item>")]
    [InlineData("Ns.OpenGrain`1", "OpenGrain")]
    public void Shorten_Generic_ShortensTheArgumentsToo(string full, string expected) =>
        Assert.Equal(expected, GrainTypeNames.Shorten(full));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Shorten_Blank_SaysUnnamed(string? full) => Assert.Equal("(unnamed)", GrainTypeNames.Shorten(full));

    [Fact]
    public void ShortenAll_SameClassInTwoNamespaces_KeepsFullNamesForThoseOnly()
    {
        var names = GrainTypeNames.ShortenAll(["A.StateGrain,AsmA", "B.StateGrain", "A.OtherGrain", "A.OtherGrain"]);

        Assert.Equal(3, names.Count);
        Assert.Equal("A.StateGrain", names["A.StateGrain,AsmA"]);
        Assert.Equal("B.StateGrain", names["B.StateGrain"]);
        Assert.Equal("OtherGrain", names["A.OtherGrain"]);
    }
}
