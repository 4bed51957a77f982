using Bunit;
using HotDash.Dashboard.Components.Shared;
using HotDash.Dashboard.Services.Traces;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.Components;

public sealed class ObservationTreeTests
{
    private static ObservationRecord Obs(string id, string? parent, long? start, long? end = null) =>
        new(id) { ParentObservationId = parent, StartTimeMs = start, EndTimeMs = end, Name = id, Type = "SPAN" };

    [Fact]
    public void Build_Children_NestedUnderParentByStartTime()
    {
        var tree = ObservationTree.Build([Obs("c2", "root", 30), Obs("root", null, 0, 100), Obs("c1", "root", 10), Obs("g", "c1", 15)]);

        var root = Assert.Single(tree.Roots);
        Assert.Equal("root", root.Observation.Id);
        Assert.Equal(["c1", "c2"], root.Children.Select(c => c.Observation.Id));
        Assert.Equal("g", Assert.Single(root.Children[0].Children).Observation.Id);
        Assert.Equal(2, root.Children[0].Children[0].Depth);
        Assert.Equal(["root", "c1", "g", "c2"], tree.Flatten().Select(n => n.Observation.Id));
    }

    [Fact]
    public void Build_MissingParent_OrphanBecomesRoot()
    {
        var tree = ObservationTree.Build([Obs("a", null, 20), Obs("orphan", "gone", 10)]);

        Assert.Equal(["orphan", "a"], tree.Roots.Select(r => r.Observation.Id));
        Assert.All(tree.Roots, r => Assert.Equal(0, r.Depth));
    }

    [Fact]
    public void Build_ParentCycleAndSelfParent_EveryObservationOnce()
    {
        var tree = ObservationTree.Build([Obs("x", "y", 5), Obs("y", "x", 6), Obs("self", "self", 1)]);

        Assert.Equal(["self", "x", "y"], tree.Flatten().Select(n => n.Observation.Id));
        Assert.Equal(["self", "x"], tree.Roots.Select(r => r.Observation.Id));
    }

    [Fact]
    public void Build_NoStartTimes_OrderedLastById()
    {
        var tree = ObservationTree.Build([Obs("b", null, null), Obs("a", null, null), Obs("c", null, 1)]);

        Assert.Equal(["c", "a", "b"], tree.Roots.Select(r => r.Observation.Id));
        Assert.Equal(1, tree.StartMs);
        Assert.Equal(1, tree.EndMs);
    }

    [Fact]
    public void Build_Span_EarliestStartToLatestEnd()
    {
        var tree = ObservationTree.Build([Obs("a", null, 100, 400), Obs("b", "a", 150, 900)]);

        Assert.Equal(100, tree.StartMs);
        Assert.Equal(900, tree.EndMs);
    }

    [Fact]
    public void TreeView_Rendered_IndentsByDepthAndPlacesTimelineBars()
    {
        using var ctx = new BunitContext();
        var tree = ObservationTree.Build([Obs("root", null, 0, 1000), Obs("child", "root", 500, 1000)]);

        var view = ctx.Render<ObservationTreeView>(p => p.Add(v => v.Tree, tree));

        var rows = view.FindAll(".hd-obs-row");
        Assert.Equal(["root", "child"], rows.Select(r => r.GetAttribute("data-obs-id")));
        Assert.Equal(["0", "1"], rows.Select(r => r.GetAttribute("data-depth")));
        var bar = view.FindAll(".hd-obs-bar")[1].GetAttribute("style") ?? "";
        Assert.Contains("left:50%", bar);
        Assert.Contains("width:50%", bar);
        Assert.Contains("500 ms", rows[1].TextContent);
    }

    [Fact]
    public void TreeView_RowClicked_RaisesSelectedWithId()
    {
        using var ctx = new BunitContext();
        string? selected = null;
        var tree = ObservationTree.Build([Obs("root", null, 0, 10), Obs("child", "root", 1, 2)]);

        var view = ctx.Render<ObservationTreeView>(p => p.Add(v => v.Tree, tree).Add(v => v.Selected, (string id) => selected = id));
        view.Find("[data-obs-id=child]").Click();

        Assert.Equal("child", selected);
    }

    [Fact]
    public void TreeView_WithTrace_TraceRowFirstSelectedWhenNoObservationIs()
    {
        using var ctx = new BunitContext();
        var clicked = false;
        var tree = ObservationTree.Build([Obs("root", null, 0, 1000)]);
        var trace = new TraceSummary(new TraceRecord("t") { Name = "my trace" }, ["root"], [], 1.0, 0m);

        var view = ctx.Render<ObservationTreeView>(p => p.Add(v => v.Tree, tree).Add(v => v.Trace, trace).Add(v => v.TraceSelected, () => clicked = true));

        var rows = view.FindAll(".hd-obs-row");
        Assert.Equal("t", rows[0].GetAttribute("data-trace-id"));
        Assert.Contains("hd-obs-selected", rows[0].ClassName);
        Assert.DoesNotContain("hd-obs-selected", rows[1].ClassName);
        Assert.Contains("TRACE", rows[0].TextContent);
        Assert.Contains("1.00 s", rows[0].TextContent);
        Assert.Contains("width:100%", view.FindAll(".hd-obs-bar")[0].GetAttribute("style"));
        rows[0].Click();
        Assert.True(clicked);
    }

    [Fact]
    public void TreeView_Rows_BarColumnIsNotSqueezedByAFixedWidthLabel()
    {
        using var ctx = new BunitContext();
        var tree = ObservationTree.Build([Obs("a-very-long-observation-name-that-would-push-the-bar-out", null, 0, 10)]);

        var view = ctx.Render<ObservationTreeView>(p => p.Add(v => v.Tree, tree));

        var row = view.Find(".hd-obs-row").GetAttribute("style") ?? "";
        // The bar's track always gets a share of the row (3fr, at least 80 px); the label gives way and ellipsizes.
        Assert.Contains("grid-template-columns:minmax(0,2fr) minmax(80px,3fr) 64px", row);
        Assert.DoesNotContain("min-width:260px", view.Markup);
        Assert.Contains("text-overflow:ellipsis", view.Find(".hd-obs-label").GetAttribute("style"));
    }
}
