package io.oasis.upstream.armour;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.oasis.cache.CachedValue;
import io.oasis.cache.Flight;
import io.oasis.cache.UpstreamCache;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream's cache, before any call: the local tier, then Redis; fresh answers at once; within
 * stale-while-revalidate answers at once while one background call (one across instances) refreshes it;
 * concurrent misses on a key share one call, each waiter giving up at its own deadline; a fresh answer is stored
 * with its tags; and when the call fails and the policy is stale, a value within stale-if-error stands in.
 * A request with an injected fault bypasses the cache.
 */
public final class CacheRead implements Stage<PartCall, PartOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(CacheRead.class);

    private final CallClock clock;

    public CacheRead(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        UpstreamCache cache = call.upstream().cache();
        if (cache == null || call.composition().fault(call.upstream().name()) != null) {
            next.run(call, done);
            return;
        }
        String key = cache.key(call.target(), call.composition()::header);
        call.key(key);
        CachedValue local = cache.local(key);
        if (!answered(call, next, done, local)) {
            call.staleCandidate(local);
            cache.remote(key, remote -> guarded(call, () -> afterRemote(call, next, done, remote)));
        }
    }

    /** Answers from the entry when it is fresh enough; false when it is not. */
    private boolean answered(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done,
                             CachedValue entry) {
        UpstreamCache cache = call.upstream().cache();
        long now = cache.nowMillis();
        UpstreamCache.Freshness freshness = cache.judge(entry, now);
        if (freshness != UpstreamCache.Freshness.FRESH && freshness != UpstreamCache.Freshness.REVALIDATE) {
            return false;
        }
        cache.count(UpstreamCache.Result.HIT);
        call.cacheOutcome("hit");
        if (freshness == UpstreamCache.Freshness.REVALIDATE) {
            revalidate(call, next);
        }
        done.accept(PartOutcome.cached(entry.value(), entry.ageMillis(now)));
        return true;
    }

    private void afterRemote(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done,
                             CachedValue remote) {
        if (answered(call, next, done, remote)) {
            return;
        }
        CachedValue candidate = call.staleCandidate();
        if (remote != null && (candidate == null || remote.storedAtMillis() > candidate.storedAtMillis())) {
            call.staleCandidate(remote);
        }
        throughFlight(call, next, done);
    }

    /** Misses on one key share one call: the first starts it, the others wait for it, holding no thread. */
    private void throughFlight(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        UpstreamCache cache = call.upstream().cache();
        String key = call.key();
        Flight<PartOutcome> flight = cache.flight(key);
        if (flight == null) {
            Flight<PartOutcome> mine = cache.startFlight(key);
            if (mine != null) {
                // a call that landed after this request's lookup has stored its answer: take it, call nothing
                long now = cache.nowMillis();
                CachedValue landed = cache.local(key);
                if (cache.judge(landed, now) == UpstreamCache.Freshness.FRESH) {
                    cache.land(key, mine, PartOutcome.ok(landed.value(), 0));
                    cache.count(UpstreamCache.Result.HIT);
                    call.cacheOutcome("hit");
                    done.accept(PartOutcome.cached(landed.value(), landed.ageMillis(now)));
                    return;
                }
                cache.count(UpstreamCache.Result.MISS);
                call.cacheOutcome("miss");
                // whatever happens to this request, its waiters get an end
                call.beforeAbort(() -> cache.land(key, mine, PartOutcome.failed(Failure.INTERNAL,
                        "internal error in the shared call", 0)));
                next.run(call, outcome -> {
                    store(call, outcome);
                    cache.land(key, mine, outcome);
                    fetched(call, outcome, done);
                });
                return;
            }
            flight = cache.flight(key);
        }
        cache.count(UpstreamCache.Result.COALESCED);
        call.cacheOutcome("coalesced");
        AtomicBoolean answered = new AtomicBoolean();
        Consumer<PartOutcome> once = outcome -> guarded(call, () -> {
            if (answered.compareAndSet(false, true)) {
                fetched(call, outcome, done);
            }
        });
        if (flight == null || !flight.join(once)) {
            // the call landed in between: take its result, or start afresh if it is already gone
            PartOutcome landed = flight == null ? null : flight.result();
            if (landed != null) {
                fetched(call, landed, done);
            } else {
                throughFlight(call, next, done);
            }
            return;
        }
        // the shared call keeps its starter's deadline; this request gives up at its own
        long left = call.deadlineNanos() - clock.nanoTime();
        clock.schedule(() -> once.accept(PartOutcome.failed(Failure.TIMEOUT,
                "no answer within " + TimeUnit.NANOSECONDS.toMillis(left) + " ms (shared call)", 0)), Math.max(0, left));
    }

    /** Refreshes the entry in the background, once across instances; no request waits for it. */
    private void revalidate(PartCall call, Next<PartCall, PartOutcome> next) {
        UpstreamCache cache = call.upstream().cache();
        long timeout = call.upstream().responseTimeoutNanos();
        String key = call.key();
        cache.revalidate(key, Duration.ofNanos(timeout * 2), () -> {
            Flight<PartOutcome> mine = cache.startFlight(key);
            if (mine != null) {
                PartCall refresh = call.refresh(clock.nanoTime() + timeout);
                refresh.beforeAbort(() -> cache.land(key, mine, PartOutcome.failed(Failure.INTERNAL,
                        "internal error refreshing", 0)));
                guarded(refresh, () -> next.run(refresh, outcome -> {
                    store(refresh, outcome);
                    cache.land(key, mine, outcome);
                }));
            }
        });
    }

    /** A step on a Redis, timer or I/O thread: what it throws aborts the part instead of losing it. */
    private static void guarded(PartCall call, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure reading the cache", call.spec().part(), e);
            call.abort(e);
        }
    }

    private static void store(PartCall call, PartOutcome outcome) {
        if (outcome.ok()) {
            call.upstream().cache().store(call.key(), outcome.value(), call.spec().tags().expand(
                    p -> p.fromPart() && "response".equals(p.part()) ? PartCall.field(outcome.value(), p)
                            : call.value(p)));
        }
    }

    /** The call ended; a failure may still be answered from the cache (policy stale). */
    private static void fetched(PartCall call, PartOutcome outcome, Consumer<PartOutcome> done) {
        UpstreamCache cache = call.upstream().cache();
        CachedValue candidate = call.staleCandidate();
        if (!outcome.ok() && call.spec().stale() && candidate != null) {
            long now = cache.nowMillis();
            if (cache.judge(candidate, now) != UpstreamCache.Freshness.NONE) {
                cache.count(UpstreamCache.Result.STALE);
                call.cacheOutcome("stale");
                done.accept(new PartOutcome(PartStatus.STALE, candidate.value(), outcome.failure(), outcome.reason(),
                        candidate.ageMillis(now), outcome.attempts()));
                return;
            }
        }
        done.accept(outcome);
    }
}
