using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Projects;

/// <summary>
/// Runs <see cref="ProjectInit"/> once the silo has started (after every hosted service's start, Orleans' included, so
/// the registry grain answers; the registry schema was migrated before the host started). The first attempt is awaited,
/// so a silo reports started with its Langfuse project and key in place; should the registry not answer, the init is
/// retried in the background (backing off to once a minute) until it succeeds or the silo stops. Never fails the start.
/// </summary>
public sealed class ProjectInitService(ProjectInit init, ILogger<ProjectInitService> logger) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!await TryAsync(1, cancellationToken))
        {
            _retrying = Task.Run(() => RetryAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retrying.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutdown does not wait longer than the host allows.
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync(CancellationToken stopping)
    {
        var delay = FirstDelay;
        for (var attempt = 2; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryAsync(attempt, stopping))
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    // True when done (or the host is stopping); false when it should be tried again.
    private async Task<bool> TryAsync(int attempt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            await init.RunAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception e)
        {
            ProjectInitLog.Failed(logger, e, attempt);
            return false;
        }
    }
}
