using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace HotDash.Grains.Storage;

/// <summary>How every HotDash silo (and test silo) serialises grain state.</summary>
public static class GrainStateSerializerExtensions
{
    /// <summary>
    /// Grain state in Orleans' own binary format instead of the default JSON. A quota grain writes its state often, and
    /// the JSON serializer costs several times the admission itself (and cannot read immutable collections back).
    /// </summary>
    public static IServiceCollection AddHotDashGrainStateSerializer(this IServiceCollection services) =>
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
}
