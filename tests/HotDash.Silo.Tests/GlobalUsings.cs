global using HotDash.Testing;
