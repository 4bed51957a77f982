global using System.Collections.Immutable;
global using System.Net;
global using HotDash.Dashboard.Tests.Infrastructure;
global using HotDash.Testing;
