namespace HotDash.Dashboard.Components.Pages.Admin;

/// <summary>
/// An admin page's periodic re-read (every <c>HotDashDashboardOptions.RefreshInterval</c>), started by the page after its
/// first interactive render so a prerender starts no timer. A tick still running when the next is due is not stacked.
/// </summary>
internal sealed class RefreshLoop(TimeSpan interval, TimeProvider time) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Cancelled when the page closes.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Starts calling <paramref name="tick"/> every interval; later calls do nothing.</summary>
    public void Start(Func<CancellationToken, Task> tick) => _loop ??= RunAsync(tick, _stop.Token);

    private async Task RunAsync(Func<CancellationToken, Task> tick, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            // PeriodicTimer coalesces ticks missed while one runs, so a slow read never queues up reads behind it.
            while (await timer.WaitForNextTickAsync(stop))
            {
                await tick(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The page was closed.
        }
    }

    /// <summary>Stops the loop and waits for a tick in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
