package io.oasis.upstream.armour;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The armour of every upstream call, in its one and only order. Per part: record its end, apply its policy,
 * check its dependencies, build its URL, read the cache, fetch. Per fetch, each attempt: an injected fault, retries,
 * the attempt's deadline, the rate limit, the circuit breaker, the bulkhead, the JSON parse, the request on the
 * wire. Each stage is a class of its own with its own test.
 */
@Component
public class Armour {

    private final Stage.Next<PartCall, PartOutcome> chain;

    @Autowired
    public Armour(ObjectMapper json, CallScheduler scheduler) {
        this(json, (CallClock) scheduler);
    }

    public Armour(ObjectMapper json, CallClock clock) {
        Stage.Next<Fetch, Attempted> attempts = Stage.chain(List.of(
                new InjectedFault(clock),
                new Retry(clock),
                new AttemptDeadline(clock),
                new RateLimit(),
                new Breaker(clock),
                new Bulkhead(),
                new ParseJson(json),
                new HttpSend(clock)));
        this.chain = Stage.chain(List.of(
                new RecordPart(clock),
                new ApplyPolicy(),
                new DependencyGate(),
                new ResolveUrl(),
                new CacheRead(clock),
                new Fetching(attempts, clock)));
    }

    /** Runs the part's call; {@code done} gets its outcome, policy applied, exactly once, maybe on another thread. */
    public void call(PartCall call, Consumer<PartOutcome> done) {
        chain.run(call, done);
    }
}
