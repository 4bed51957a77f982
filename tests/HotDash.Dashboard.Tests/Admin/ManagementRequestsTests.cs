using System.Text.Json.Nodes;
using HotDash.Dashboard.Services.Admin;

namespace HotDash.Dashboard.Tests.Admin;

public sealed class ManagementRequestsTests
{
    [Fact]
    public void TeamNew_EmptyFieldsLeftOut_NumbersAsJsonNumbers()
    {
        var limits = new LimitsForm { MaxBudget = " 12.50 ", BudgetDuration = "30d", TpmLimit = "", RpmLimit = "60", MaxParallelRequests = "4", Models = "gpt-4o, , mock-1" };

        var body = ManagementRequests.TeamNew("research", limits).ToJsonString();

        Assert.Equal("""{"team_alias":"research","max_budget":12.50,"budget_duration":"30d","rpm_limit":60,"max_parallel_requests":4,"models":["gpt-4o","mock-1"]}""", body);
    }

    [Fact]
    public void KeyUpdate_EmptyFields_SentAsNullToClear()
    {
        var body = ManagementRequests.KeyUpdate("hash1", "", new LimitsForm { RpmLimit = "10" }).ToJsonString();

        Assert.Equal("""{"key":"hash1","key_alias":null,"max_budget":null,"budget_duration":null,"tpm_limit":null,"rpm_limit":10,"max_parallel_requests":null,"models":[]}""", body);
    }

    [Fact]
    public void DeleteAndBlockBodies_UseLiteLlmFieldNames()
    {
        Assert.Equal("""{"team_ids":["t1"]}""", ManagementRequests.TeamDelete("t1").ToJsonString());
        Assert.Equal("""{"keys":["h1"]}""", ManagementRequests.KeyDelete("h1").ToJsonString());
        Assert.Equal("""{"key":"h1"}""", ManagementRequests.Key("h1").ToJsonString());
        Assert.Equal("""{"user_ids":["u1"]}""", ManagementRequests.UserDelete("u1").ToJsonString());
        Assert.Equal("""{"public_keys":["pk-lf-1"]}""", ManagementRequests.ProjectKeyDelete("pk-lf-1").ToJsonString());
        Assert.Equal("""{"project_id":"p1","note":"ci"}""", ManagementRequests.ProjectKeyGenerate("p1", "ci").ToJsonString());
    }

    [Fact]
    public void LimitsFormFrom_ApiObject_RoundTripsIntoForm()
    {
        var team = JsonNode.Parse("""{"max_budget":5.5,"budget_duration":"1d","tpm_limit":null,"rpm_limit":100,"models":["a","b"]}""")!.AsObject();

        var form = LimitsForm.From(team);

        Assert.Equal(("5.5", "1d", null, "100", "a, b"), (form.MaxBudget, form.BudgetDuration, form.TpmLimit, form.RpmLimit, form.Models));
    }

    [Fact]
    public void ErrorMessage_OpenAiShape_TakesMessage()
    {
        var body = JsonNode.Parse("""{"error":{"message":"Team not found.","type":"not_found_error"}}""");

        Assert.Equal("Team not found.", ManagementClient.ErrorMessage(body, 404, "Not Found"));
        Assert.Equal("The gateway answered 502 Bad Gateway", ManagementClient.ErrorMessage(null, 502, "Bad Gateway"));
    }
}
