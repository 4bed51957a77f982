using HotDash.Dashboard.Services.Traces;

namespace HotDash.Dashboard.Tests.Components;

public sealed class ChatTranscriptTests
{
    [Fact]
    public void TryParse_RequestWithToolCalls_RolesContentAndCalls()
    {
        const string json = """
            {"model":"gpt","messages":[
              {"role":"system","content":"be brief"},
              {"role":"user","content":[{"type":"text","text":"weather?"}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"cold"}]}
            """;

        var messages = ChatTranscript.TryParse(json)!;

        Assert.Equal(["system", "user", "assistant", "tool"], messages.Select(m => m.Role));
        Assert.Equal("weather?", messages[1].Content);
        var call = Assert.Single(messages[2].ToolCalls);
        Assert.Equal(("c1", "get_weather", "{\"city\":\"Oslo\"}"), (call.Id, call.Name, call.Arguments));
        Assert.Equal("c1", messages[3].Name);
    }

    [Fact]
    public void TryParse_Completion_MessageOfEachChoice()
    {
        var messages = ChatTranscript.TryParse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]}""")!;

        Assert.Equal("hi", Assert.Single(messages).Content);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("\"plain text\"")]
    [InlineData("[{\"no\":\"role\"}]")]
    public void TryParse_NotAConversation_Null(string? json) => Assert.Null(ChatTranscript.TryParse(json));
}
