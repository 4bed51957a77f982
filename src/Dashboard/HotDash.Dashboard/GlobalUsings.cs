global using Orleans;
global using Orleans.Runtime;
global using HotDash.Hosting.Orleans;
