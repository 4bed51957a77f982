global using HotDash.Testing;
global using Npgsql;
global using Xunit.Abstractions;
global using HotDash.Grains;
