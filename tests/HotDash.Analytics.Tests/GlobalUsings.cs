global using System.Text;
global using System.Text.Json;
global using HotDash.Testing;
global using Xunit.Abstractions;
