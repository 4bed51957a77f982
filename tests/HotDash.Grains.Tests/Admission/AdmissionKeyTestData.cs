namespace HotDash.Grains.Tests.Admission;

/// <summary>Builders for key admission requests.</summary>
internal static class AdmissionKeyTestData
{
    public const string Model = "gpt-4o";

    public static KeyAdmissionRequest Request(KeyDefinition key, string model = Model, ImmutableArray<string> accessNames = default, long tokens = 10, decimal cost = 0.001m) =>
        new(TestData.UniqueId("call"), key.Token, model, accessNames.IsDefault ? [] : accessNames, tokens, cost);
}
