using static HotDash.Grains.Tests.Caching.CacheTestData;

namespace HotDash.Grains.Tests.Caching;

[Collection(CachingClusterCollection.Name)]
public sealed class CacheGrainTests(CachingClusterFixture fixture)
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(20);

    private ICacheGrain Grain(string key) => fixture.Grains.GetGrain<ICacheGrain>(key);

    [Fact]
    public async Task Lookup_NothingStoredWithoutCoalesce_Miss()
    {
        var lookup = await Grain(NewKey()).Lookup(Plain(fixture.NowMs()));

        Assert.Equal(CacheLookupStatus.Miss, lookup.Status);
        Assert.Null(lookup.Entry);
        Assert.Null(lookup.LeaseId);
    }

    [Fact]
    public async Task Store_ThenLookup_HitWithTheExactAnswer()
    {
        var key = NewKey();
        var entry = Body(key, "hello", fixture.NowMs());
        await Grain(key).Store(entry, Keep);

        var lookup = await Grain(key).Lookup(Plain(fixture.NowMs()));

        Assert.Equal(CacheLookupStatus.Hit, lookup.Status);
        Assert.NotNull(lookup.Entry);
        Assert.Equal(entry.Body, lookup.Entry.Body);
        Assert.Equal(key, lookup.Entry.Key);
        Assert.Equal(0.00042m, lookup.Entry.Cost);
        Assert.Equal(10, lookup.Entry.PromptTokens);
        Assert.Null(lookup.Entry.ExpiresMs);
    }

    [Fact]
    public async Task Lookup_StoredEntryWithCoalesce_HitNotLead()
    {
        var key = NewKey();
        await Grain(key).Store(Body(key, "stored", fixture.NowMs()), Keep);

        var lookup = await Grain(key).Lookup(Coalesced("c1", fixture.NowMs()));

        Assert.Equal(CacheLookupStatus.Hit, lookup.Status);
    }

    [Fact]
    public async Task Lookup_PastTtl_Miss()
    {
        var key = NewKey();
        var now = fixture.NowMs();
        await Grain(key).Store(Body(key, "short-lived", now, expiresMs: now + 999_999), KeepFor(TimeSpan.FromSeconds(60)));

        var before = await Grain(key).Lookup(Plain(now + 59_000));
        var after = await Grain(key).Lookup(Plain(now + 61_000));
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        var onTheSilosClock = await Grain(key).Lookup(Plain(now));

        // The policy's ttl decides the expiry, not what the entry said.
        Assert.Equal(CacheLookupStatus.Hit, before.Status);
        Assert.Equal(now + 60_000, before.Entry!.ExpiresMs);
        Assert.Equal(CacheLookupStatus.Miss, after.Status);
        // The store judges expiry on its own clock too.
        Assert.Equal(CacheLookupStatus.Miss, onTheSilosClock.Status);
    }

    [Fact]
    public async Task Lookup_OlderThanSMaxAge_Miss()
    {
        var key = NewKey();
        var now = fixture.NowMs();
        await Grain(key).Store(Body(key, "thirty seconds old", now - 30_000), Keep);

        var tooOld = await Grain(key).Lookup(Plain(now, maxAgeMs: 10_000));
        var youngEnough = await Grain(key).Lookup(Plain(now, maxAgeMs: 60_000));
        var coalescedTooOld = await Grain(key).Lookup(Coalesced("c1", now, maxAgeMs: 10_000));

        Assert.Equal(CacheLookupStatus.Miss, tooOld.Status);
        Assert.Equal(CacheLookupStatus.Hit, youngEnough.Status);
        // Too old to serve with coalescing: this caller fetches a fresh answer for everyone.
        Assert.Equal(CacheLookupStatus.Lead, coalescedTooOld.Status);
        await Grain(key).Complete(coalescedTooOld.LeaseId!, Body(key, "fresh", now), Keep);
        var fresh = await Grain(key).Lookup(Plain(now, maxAgeMs: 10_000));
        Assert.Equal(Body(key, "fresh", now).Body, fresh.Entry!.Body);
    }

    [Fact]
    public async Task Coalescing_LeaderAndTwentyFollowers_AllGetTheLeadersAnswer()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();

        var lead = await grain.Lookup(Coalesced("leader", now));
        var lookups = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => grain.Lookup(Coalesced($"f{i}", now))));
        var follows = Enumerable.Range(0, 20).Select(_ => grain.Follow(0, LongWait)).ToArray();
        await Task.Delay(50);
        Assert.All(follows, f => Assert.False(f.IsCompleted));
        var answer = Body(key, "one upstream call", now);
        await grain.Complete(lead.LeaseId!, answer, Keep);
        var results = await Task.WhenAll(follows);

        Assert.Equal(CacheLookupStatus.Lead, lead.Status);
        Assert.Equal("leader", lead.LeaseId);
        Assert.All(lookups, l => Assert.Equal(CacheLookupStatus.Follow, l.Status));
        Assert.All(results, r =>
        {
            Assert.Equal(CacheFollowState.Completed, r.State);
            Assert.False(r.Streaming);
            Assert.Equal(answer.Body, r.Entry!.Body);
        });
        var hit = await grain.Lookup(Coalesced("later", now));
        Assert.Equal(CacheLookupStatus.Hit, hit.Status);
        Assert.Equal(answer.Body, hit.Entry!.Body);
    }

    [Fact]
    public async Task Follow_StreamingLeader_ChunksArriveInOrderAsAppended()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();
        var lead = await grain.Lookup(Coalesced("leader", now));
        Assert.Equal(CacheLookupStatus.Follow, (await grain.Lookup(Coalesced("follower", now))).Status);
        var all = Enumerable.Range(0, 30).Select(Chunk).ToList();

        var received = new List<byte[]>();
        var pendingWithChunks = 0;
        var receivedCount = 0;
        CacheFollowResult? last = null;
        var follower = Task.Run(async () =>
        {
            var from = 0;
            while (true)
            {
                var r = await grain.Follow(from, LongWait);
                Assert.Equal(from, received.Count);
                received.AddRange(r.Chunks);
                Volatile.Write(ref receivedCount, received.Count);
                from = r.NextChunk;
                if (r.State != CacheFollowState.Pending)
                {
                    last = r;
                    return;
                }
                if (!r.Chunks.IsEmpty)
                {
                    pendingWithChunks++;
                }
            }
        });
        // Batches of 1..3 chunks; after each, the follower has it before the next goes out: it streams as it comes.
        var sent = 0;
        var size = 1;
        while (sent < all.Count)
        {
            var batch = all.Skip(sent).Take(size).ToImmutableArray();
            await grain.Append(lead.LeaseId!, batch);
            sent += batch.Length;
            size = size % 3 + 1;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Volatile.Read(ref receivedCount) < sent && DateTime.UtcNow < deadline)
            {
                await Task.Delay(2);
            }
        }
        await grain.Complete(lead.LeaseId!, Stream(key, all, now), Keep);
        await follower;

        Assert.Equal(CacheFollowState.Completed, last!.State);
        Assert.True(last.Streaming);
        Assert.True(pendingWithChunks >= 10, $"only {pendingWithChunks} polls brought chunks before the end");
        Assert.Equal(all.Count, received.Count);
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(all[i], received[i]);
        }
        var hit = await grain.Lookup(Plain(now));
        Assert.Equal(all.Count, hit.Entry!.Chunks.Length);
    }

    [Fact]
    public async Task Complete_FailedLeader_FollowersFailedAndNothingStored()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();
        var lead = await grain.Lookup(Coalesced("leader", now));
        await grain.Lookup(Coalesced("f", now));
        var follows = Enumerable.Range(0, 5).Select(_ => grain.Follow(0, LongWait)).ToArray();

        await grain.Complete(lead.LeaseId!, null, Keep);
        var results = await Task.WhenAll(follows);

        Assert.All(results, r => Assert.Equal(CacheFollowState.Failed, r.State));
        Assert.Equal(CacheLookupStatus.Miss, (await grain.Lookup(Plain(now))).Status);
        // The next caller leads afresh.
        var next = await grain.Lookup(Coalesced("next", now));
        Assert.Equal(CacheLookupStatus.Lead, next.Status);
        Assert.Equal("next", next.LeaseId);
        await grain.Complete(next.LeaseId!, null, Keep);
    }

    [Fact]
    public async Task Complete_NoStore_FollowersGetTheAnswerAndNothingIsKept()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();
        var lead = await grain.Lookup(Coalesced("leader", now));
        // The follower's lookup marks the flight followed, so its Follow gets the answer even if it lands after Complete.
        Assert.Equal(CacheLookupStatus.Follow, (await grain.Lookup(Coalesced("f", now))).Status);
        var follow = grain.Follow(0, LongWait);

        await grain.Complete(lead.LeaseId!, Body(key, "not kept", now), new CacheStorePolicy(Store: false, TtlMs: null));

        Assert.Equal(CacheFollowState.Completed, (await follow).State);
        Assert.Equal(CacheLookupStatus.Miss, (await grain.Lookup(Plain(now))).Status);
    }

    [Fact]
    public async Task Follow_SilentStreamingLeader_FailsAfterTheStreamingLease()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();
        var lead = await grain.Lookup(Coalesced("silent", now));
        await grain.Append(lead.LeaseId!, [Chunk(0)]);
        var first = await grain.Follow(0, LongWait);
        Assert.Equal(CacheFollowState.Pending, first.State);
        Assert.Single(first.Chunks);

        var started = fixture.Time.GetUtcNow();
        CacheFollowResult result;
        do
        {
            result = await Pump(grain.Follow(first.NextChunk, LongWait), TimeSpan.FromSeconds(5));
            Assert.True(fixture.Time.GetUtcNow() - started < TimeSpan.FromSeconds(120), "the silent leader was never given up");
        }
        while (result.State == CacheFollowState.Pending);

        Assert.Equal(CacheFollowState.Failed, result.State);
        Assert.True(fixture.Time.GetUtcNow() - started >= TimeSpan.FromSeconds(60));
        // Its lease is gone: the next caller leads, and the silent one's late answer is ignored while that one runs.
        var next = await grain.Lookup(Coalesced("next", fixture.NowMs()));
        Assert.Equal(CacheLookupStatus.Lead, next.Status);
        await grain.Append(lead.LeaseId!, [Chunk(1)]);
        await grain.Complete(lead.LeaseId!, Stream(key, [Chunk(0), Chunk(1)], now), Keep);
        Assert.Equal(CacheLookupStatus.Miss, (await grain.Lookup(Plain(fixture.NowMs()))).Status);
        Assert.Equal(CacheLookupStatus.Follow, (await grain.Lookup(Coalesced("third", fixture.NowMs()))).Status);
        await grain.Complete(next.LeaseId!, Body(key, "from the new leader", fixture.NowMs()), Keep);
        Assert.Equal(Body(key, "from the new leader", 0).Body, (await grain.Lookup(Plain(fixture.NowMs()))).Entry!.Body);
    }

    [Fact]
    public async Task Follow_SilentLeaderPastTheWholeCallLease_Failed()
    {
        var key = NewKey();
        var grain = Grain(key);
        var lead = await grain.Lookup(Coalesced("slow", fixture.NowMs()));
        fixture.Time.Advance(TimeSpan.FromMinutes(9));
        var stillWaiting = await Pump(grain.Follow(0, TimeSpan.FromSeconds(2)), TimeSpan.FromMilliseconds(500));
        Assert.Equal(CacheFollowState.Pending, stillWaiting.State);

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var result = await grain.Follow(0, LongWait);

        Assert.Equal(CacheFollowState.Failed, result.State);
        var next = await grain.Lookup(Coalesced("next", fixture.NowMs()));
        Assert.Equal(CacheLookupStatus.Lead, next.Status);
        await grain.Complete(next.LeaseId!, null, Keep);
        Assert.Equal(CacheLookupStatus.Lead, lead.Status);
    }

    [Fact]
    public async Task Follow_WaitPassesWithoutNews_PendingWithoutChunks()
    {
        var key = NewKey();
        var grain = Grain(key);
        var lead = await grain.Lookup(Coalesced("leader", fixture.NowMs()));

        var result = await Pump(grain.Follow(0, TimeSpan.FromSeconds(2)), TimeSpan.FromMilliseconds(500));

        Assert.Equal(CacheFollowState.Pending, result.State);
        Assert.Empty(result.Chunks);
        Assert.Equal(0, result.NextChunk);
        await grain.Complete(lead.LeaseId!, null, Keep);
    }

    [Fact]
    public async Task Append_PastMaxEntryBytes_FollowersFailedAndNothingStored()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();
        var lead = await grain.Lookup(Coalesced("big", now));
        var follow = grain.Follow(0, LongWait);
        var half = new byte[CachingClusterFixture.MaxEntryBytes / 2 + 1];

        await grain.Append(lead.LeaseId!, [half, half]);
        var result = await follow;
        var another = await grain.Lookup(Coalesced("another", now));
        await grain.Complete(lead.LeaseId!, Stream(key, [half, half], now), Keep);

        Assert.Equal(CacheFollowState.Failed, result.State);
        Assert.Empty(result.Chunks);
        // Nothing will be shared, so a newcomer goes upstream on its own.
        Assert.Equal(CacheLookupStatus.Miss, another.Status);
        Assert.Equal(CacheLookupStatus.Miss, (await grain.Lookup(Plain(now))).Status);
    }

    [Fact]
    public async Task Store_OversizedEntry_NotStored()
    {
        var key = NewKey();
        var entry = Body(key, "x", fixture.NowMs()) with { Body = new byte[CachingClusterFixture.MaxEntryBytes + 1] };

        await Grain(key).Store(entry, Keep);

        Assert.Equal(CacheLookupStatus.Miss, (await Grain(key).Lookup(Plain(fixture.NowMs()))).Status);
    }

    [Fact]
    public async Task Delete_StoredEntry_TrueThenMiss()
    {
        var key = NewKey();
        await Grain(key).Store(Body(key, "to delete", fixture.NowMs()), Keep);

        var deleted = await Grain(key).Delete();
        var again = await Grain(key).Delete();

        Assert.True(deleted);
        Assert.False(again);
        Assert.Equal(CacheLookupStatus.Miss, (await Grain(key).Lookup(Plain(fixture.NowMs()))).Status);
    }

    [Fact]
    public async Task Lookup_LeaderAsksAgain_KeepsItsLease()
    {
        var key = NewKey();
        var grain = Grain(key);
        var first = await grain.Lookup(Coalesced("retried", fixture.NowMs()));

        var again = await grain.Lookup(Coalesced("retried", fixture.NowMs()));

        Assert.Equal(CacheLookupStatus.Lead, again.Status);
        Assert.Equal(first.LeaseId, again.LeaseId);
        await grain.Complete(first.LeaseId!, null, Keep);
    }

    [Fact]
    public async Task Follow_AfterTheLeaderCompleted_GetsTheAnswer()
    {
        var key = NewKey();
        var grain = Grain(key);
        var now = fixture.NowMs();
        var lead = await grain.Lookup(Coalesced("leader", now));
        Assert.Equal(CacheLookupStatus.Follow, (await grain.Lookup(Coalesced("follower", now))).Status);
        await grain.Append(lead.LeaseId!, [Chunk(0), Chunk(1)]);
        await grain.Complete(lead.LeaseId!, Stream(key, [Chunk(0), Chunk(1), Chunk(2)], now), Keep);

        // A follower whose next poll comes after the end still gets the rest of the answer.
        var late = await grain.Follow(2, LongWait);

        Assert.Equal(CacheFollowState.Completed, late.State);
        Assert.Equal(Chunk(2), Assert.Single(late.Chunks));
        Assert.Equal(3, late.NextChunk);
    }

    // Moves the fake clock a step at a time until the call returns.
    private async Task<T> Pump<T>(Task<T> call, TimeSpan step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!call.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the call did not return while the clock moved");
            fixture.Time.Advance(step);
            await Task.WhenAny(call, Task.Delay(20));
        }
        return await call;
    }
}
