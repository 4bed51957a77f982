namespace HotDash.Hosting.Orleans;

/// <summary>
/// Keeps a client process waiting for the cluster instead of crashing when it starts before the silo
/// (the normal order under a process supervisor).
/// </summary>
internal sealed class RetryForeverFilter : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
