namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// What every authenticated public API route does around its own work, as Langfuse's <c>createAuthedProjectAPIRoute</c>:
/// 503 without a cluster, the key check (401; 403 for the public key alone where only a key pair will do), then the
/// handler, with a cluster that stops answering mapped to 503 and anything else to Langfuse's 500.
/// </summary>
internal sealed class PublicApiRunner(
    ProjectKeyAuthenticator authenticator, ClusterConnection connection, IGrainFactory grains, TimeProvider time, ILogger<PublicApiRunner> logger)
{
    /// <summary>Runs <paramref name="handler"/> for an authenticated request.</summary>
    /// <param name="http">The request.</param>
    /// <param name="allowPublicKeyOnly">Whether Bearer with the public key alone is accepted (Langfuse's <c>scores</c> access level).</param>
    /// <param name="handler">The route's work.</param>
    public async Task<IResult> RunAsync(HttpContext http, bool allowPublicKeyOnly, Func<PublicApiCall, Task<IResult>> handler)
    {
        var request = http.Request;
        if (connection.ConnectedGateways == 0)
        {
            return PublicApiErrors.Unavailable(PublicApiErrors.ServiceUnavailableMessage);
        }
        var auth = await authenticator.AuthenticateAsync(request.Headers.Authorization);
        if (!auth.Succeeded)
        {
            PublicApiLog.Refused(logger, request.Method, request.Path, auth.Status, auth.Message ?? "");
            return auth.Status == StatusCodes.Status503ServiceUnavailable
                ? PublicApiErrors.Unavailable(auth.Message ?? PublicApiErrors.ServiceUnavailableMessage)
                : PublicApiErrors.Unauthorized(auth.Message ?? "Unauthorized");
        }
        if (auth.Access == PublicApiAccess.Scores && !allowPublicKeyOnly)
        {
            return PublicApiErrors.Forbidden("Access denied - insufficient permissions for this endpoint");
        }
        try
        {
            return await handler(new PublicApiCall(http, auth.ProjectId!, auth.Access, grains, time, logger));
        }
        catch (Exception e) when (e is OrleansException or TimeoutException && !http.RequestAborted.IsCancellationRequested)
        {
            PublicApiLog.ClusterFailed(logger, request.Method, request.Path, e.Message);
            return PublicApiErrors.Unavailable($"Service Unavailable: the cluster did not answer ({e.Message})");
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            PublicApiLog.Failed(logger, e, request.Method, request.Path);
            return PublicApiErrors.Internal(e.Message);
        }
    }
}
