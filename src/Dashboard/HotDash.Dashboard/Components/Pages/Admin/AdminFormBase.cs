using System.Text.Json.Nodes;
using HotDash.Dashboard.Services.Admin;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HotDash.Dashboard.Components.Pages.Admin;

/// <summary>
/// What every admin form and page shares: one management call at a time, and the gateway's refusal shown as the gateway
/// words it (in the form and as a snackbar). Number fields are checked first so a typo never reaches the API as text.
/// </summary>
public abstract class AdminFormBase : ComponentBase
{
    /// <summary>The gateway's management API.</summary>
    [Inject] protected ManagementClient Management { get; set; } = default!;

    /// <summary>Toasts for outcomes.</summary>
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The last refusal or validation message, shown in the form.</summary>
    protected string? Error { get; set; }

    /// <summary>True while a call is in flight (buttons disabled, progress shown).</summary>
    protected bool Busy { get; set; }

    /// <summary>
    /// Runs <paramref name="call"/> (the gateway checks every field, so its refusal is the form's error); answers the
    /// body on success, null (with <see cref="Error"/> set) otherwise.
    /// </summary>
    protected async Task<JsonNode?> CallAsync(Func<Task<ManagementResult>> call, string? success)
    {
        Busy = true;
        Error = null;
        try
        {
            var result = await call();
            if (!result.Ok)
            {
                Error = result.Error;
                Snackbar.Add(result.Error ?? "The gateway refused the change.", Severity.Error);
                return null;
            }
            if (success is not null)
            {
                Snackbar.Add(success, Severity.Success);
            }
            return result.Body ?? new JsonObject();
        }
        finally
        {
            Busy = false;
        }
    }
}
