global using System.Net;
global using System.Text;
global using System.Text.Json;
global using HotDash.Api.Gateway;
global using HotDash.Api.Tests.Support;
global using HotDash.Testing;
