namespace HotDash.Silo.Health;

/// <summary>This silo in the readiness report.</summary>
/// <param name="Status">Its membership status, lower case (<c>active</c>, <c>joining</c>, <c>shuttingdown</c>, ...).</param>
/// <param name="Address">Its silo endpoint, <c>ip:port</c>.</param>
public sealed record SiloState(string Status, string Address);
