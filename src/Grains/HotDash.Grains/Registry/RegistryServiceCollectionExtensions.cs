using HotDash.Grains.Admission;
using HotDash.Grains.Projects;
using HotDash.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotDash.Grains.Registry;

/// <summary>
/// Registers the silo's registry store, which the registry, key, team, user, project-key and spend-ledger grains use,
/// and the headless project init (Langfuse's <c>LANGFUSE_INIT_*</c> variables) that runs once the silo has started.
/// </summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRegistryStore"/>: the PostgreSQL store over <paramref name="database"/> (with the spend
    /// ledger writer) when one is given, else the embedded store over <see cref="IRegistryStateGrain"/>; and
    /// <see cref="ProjectInitService"/>.
    /// </summary>
    /// <param name="services">The silo's services.</param>
    /// <param name="database">The registry database, or <see langword="null"/> for the embedded registry (grain state only).</param>
    public static IServiceCollection AddHotDashRegistry(this IServiceCollection services, RegistryDatabase? database)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<DefinitionCache>();
        services.TryAddSingleton(TimeProvider.System);
        AddHeadlessProjectInit(services);
        if (database is null)
        {
            services.TryAddSingleton<IRegistryStore, GrainRegistryStore>();
            return services;
        }

        // A factory, not an instance: the container then disposes the database (and its pool) at shutdown.
        services.TryAddSingleton(_ => database);
        services.TryAddSingleton<SpendLedgerWriter>();
        services.TryAddSingleton(TimeProvider.System);
        // Built by the container so that its other dependencies (ledger writer, clock, logger) come from it.
        services.TryAddSingleton<IRegistryStore>(sp => ActivatorUtilities.CreateInstance<PostgresRegistryStore>(sp, database));
        return services;
    }

    // Langfuse's LANGFUSE_INIT_* variables, read from the configuration (the environment in the silo; tests register
    // their own). No ValidateOnStart: a malformed key is logged and skipped, it never stops the silo.
    private static void AddHeadlessProjectInit(IServiceCollection services)
    {
        services.AddOptions<ProjectInitOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            if (sp.GetService<IConfiguration>() is { } configuration)
            {
                o.Read(configuration);
            }
        });
        services.TryAddSingleton<ProjectInit>();
        services.AddHostedService<ProjectInitService>();
    }
}
