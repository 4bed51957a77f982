namespace HotDash.Dashboard.Tests.Admin;

/// <summary>
/// A cluster client for pages whose cluster reads are beside the point of the test: every grain lookup fails, as with
/// no silo reachable, so the readers answer "unavailable" (no cluster needed).
/// </summary>
internal sealed class UnreachableClusterClient : IClusterClient
{
    public IServiceProvider ServiceProvider => throw Unreachable();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey => throw Unreachable();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey => throw Unreachable();

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey => throw Unreachable();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey => throw Unreachable();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey => throw Unreachable();

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw Unreachable();

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw Unreachable();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unreachable();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unreachable();

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unreachable();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unreachable();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unreachable();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable => throw Unreachable();

    public IAddressable GetGrain(GrainId grainId) => throw Unreachable();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unreachable();

    public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string? grainClassNamePrefix) => throw Unreachable();

    public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => throw Unreachable();

    private static InvalidOperationException Unreachable() => new("no silo is reachable (test)");
}
