using Xunit.Abstractions;

namespace HotDash.Testing;

/// <summary>
/// The real S3-compatible store the test script starts (OpenStack Swift with s3api): <c>HOTDASH_TEST_S3</c>
/// (e.g. <c>http://127.0.0.1:8090</c>) with <c>HOTDASH_TEST_S3_ACCESS_KEY</c> and <c>HOTDASH_TEST_S3_SECRET_KEY</c>,
/// region <see cref="Region"/>, under the <see cref="Prerequisite"/> rule: missing under <c>CI=true</c>, the test
/// fails; elsewhere it says so and returns.
/// </summary>
public static class TestS3
{
    public const string Variable = "HOTDASH_TEST_S3";
    public const string AccessKeyVariable = "HOTDASH_TEST_S3_ACCESS_KEY";
    public const string SecretKeyVariable = "HOTDASH_TEST_S3_SECRET_KEY";

    /// <summary>The region the store signs and answers for.</summary>
    public const string Region = "us-east-1";

    /// <summary>The access key id (tempauth's <c>account:user</c>), valid once <see cref="Endpoint"/> returned non-null.</summary>
    public static string AccessKey => Environment.GetEnvironmentVariable(AccessKeyVariable) ?? "";

    /// <summary>The secret key, valid once <see cref="Endpoint"/> returned non-null.</summary>
    public static string SecretKey => Environment.GetEnvironmentVariable(SecretKeyVariable) ?? "";

    /// <summary>The S3 endpoint (path-style), or null when the test should return early (endpoint or keys missing).</summary>
    public static Uri? Endpoint(ITestOutputHelper output)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value, UriKind.Absolute, out var endpoint)
            && AccessKey.Length > 0 && SecretKey.Length > 0)
        {
            return endpoint;
        }
        Prerequisite.Missing(output, $"{Variable}, {AccessKeyVariable} and {SecretKeyVariable} are not all set: this test needs a real S3-compatible store (e.g. Swift with s3api and tempauth, {Variable}=http://127.0.0.1:8090, {AccessKeyVariable}=test:tester, {SecretKeyVariable}=testing); ./hotdash test starts one");
        return null;
    }
}
