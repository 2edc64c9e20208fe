package io.oasis.upstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.oasis.cache.CachedValue;
import io.oasis.cache.Flight;
import io.oasis.cache.TagTemplate;
import io.oasis.cache.UpstreamCache;
import io.oasis.compose.Composition;
import io.oasis.compose.Failure;
import io.oasis.compose.PartResult;
import io.oasis.compose.PartStatus;
import io.oasis.observe.RequestContext;
import io.oasis.observe.Tracing;
import io.oasis.resilience.FaultInjection;
import io.oasis.resilience.RetryPolicy;
import io.oasis.resilience.UpstreamProtection;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of the upstream-call template, the same armour in the same order for every call: dependencies checked,
 * URL from its template; the cache (local tier, then Redis: fresh, or stale while one background call refreshes
 * it; concurrent misses share one call); then per attempt the upstream's rate limit, circuit breaker and bulkhead,
 * the request on the upstream's own pool (holding no thread) with only allow-listed headers and a deadline that
 * never passes the endpoint's budget, the answer bounded in size and parsed once; retries with backoff within the
 * retry budget; the answer stored; the outcome recorded in the request's {@link Composition} and in metrics. A
 * failure never escapes as an exception: it becomes the part's policy (required, default, or stale then either).
 */
public final class UpstreamCall extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

    private final String routeId;
    private final String part;
    private final int order;
    private final Upstream upstream;
    private final UpstreamProtection protection;
    private final UpstreamCache cache;
    private final UrlTemplate url;
    private final Set<String> dependencies;
    private final boolean required;
    private final boolean stale;
    private final JsonNode fallback;
    private final TagTemplate tags;
    private final ObjectMapper json;
    private final CallScheduler scheduler;
    private final Tracing tracing;
    private final RequestContext context;

    UpstreamCall(String routeId, String part, int order, Upstream upstream, UrlTemplate url, boolean required,
                 boolean stale, JsonNode fallback, TagTemplate tags, ObjectMapper json, CallScheduler scheduler,
                 Tracing tracing, RequestContext context) {
        this.routeId = routeId;
        this.part = part;
        this.order = order;
        this.upstream = upstream;
        this.protection = upstream.protection();
        this.cache = upstream.cache();
        this.url = url;
        this.dependencies = url.dependencies();
        this.required = required;
        this.stale = stale;
        this.fallback = fallback;
        this.tags = tags;
        this.json = json;
        this.scheduler = scheduler;
        this.tracing = tracing;
        this.context = context;
    }

    public String routeId() {
        return routeId;
    }

    public String part() {
        return part;
    }

    public Upstream upstream() {
        return upstream;
    }

    public UrlTemplate url() {
        return url;
    }

    public TagTemplate tags() {
        return tags;
    }

    /** Its policy is stale: a failure answers the cached value within stale-if-error. */
    public boolean stale() {
        return stale;
    }

    /** The endpoint this call belongs to: its route id is {@code <endpoint>-<part>}. */
    public String endpoint() {
        return routeId.substring(0, routeId.length() - part.length() - 1);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        if (composition == null) {
            exchange.setException(new IllegalStateException("direct:" + routeId
                    + " was called outside an endpoint: the endpoint route must begin with the beginComposition step"));
            callback.done(true);
            return true;
        }
        Part call = new Part(exchange, composition, callback);
        try {
            for (String dependency : dependencies) {
                PartResult earlier = composition.part(dependency);
                if (earlier == null || !earlier.hasValue()) {
                    String why = earlier == null ? "was not called" : "is " + earlier.status().label();
                    return call.complete(Failure.DEPENDENCY, "not attempted: " + dependency + " " + why, null);
                }
            }
            String target = url.expand(upstream.basePath(), p -> value(composition, p));
            if (target == null) {
                return call.complete(Failure.DEPENDENCY, "not attempted: a value for its URL is missing", null);
            }
            return call.start(target);
        } catch (RuntimeException e) {
            try (RequestContext.Scope ignored = context.enter(composition)) {
                LOG.error("{}: unexpected failure preparing the call", routeId, e);
            }
            return call.complete(Failure.INTERNAL, "internal error preparing the call", null);
        }
    }

    /**
     * A value for a URL or tag placeholder: an endpoint parameter, a scalar field of an earlier part's JSON, or a
     * claim of the caller's token.
     */
    static String value(Composition composition, UrlTemplate.Placeholder placeholder) {
        if (placeholder.fromCaller()) {
            // an anonymous caller has no claims: the call is not attempted and its part takes its policy
            return placeholder.fields().size() == 1 ? composition.caller().claim(placeholder.fields().get(0)) : null;
        }
        if (!placeholder.fromPart()) {
            return composition.parameter(placeholder.name());
        }
        PartResult earlier = composition.part(placeholder.part());
        return earlier == null ? null : field(earlier.value(), placeholder);
    }

    /** A scalar field of some JSON, by the placeholder's field path; null when absent or not a scalar. */
    public static String field(JsonNode node, UrlTemplate.Placeholder placeholder) {
        for (String f : placeholder.fields()) {
            node = node == null ? null : node.get(f);
        }
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    /** This part of one request: its cache decisions and its completion, exactly once, towards Camel. */
    private final class Part {

        private final Exchange exchange;
        private final Composition composition;
        private final AsyncCallback callback;
        private final long start = System.nanoTime();
        private final AtomicBoolean completed = new AtomicBoolean();
        /** true while {@link #process} runs: completing then is synchronous for Camel */
        private volatile boolean inProcess = true;
        private final Span span;
        private String key;
        private CachedValue staleCandidate;
        private int attempts;
        /** hit, stale, miss, coalesced; null while the cache is not consulted */
        private String cacheOutcome;

        Part(Exchange exchange, Composition composition, AsyncCallback callback) {
            this.exchange = exchange;
            this.composition = composition;
            this.callback = callback;
            this.span = tracing.call(composition.span(), upstream.name(), part);
        }

        boolean start(String target) {
            FaultInjection.Fault fault = composition.fault(upstream.name());
            if (cache == null || fault != null) {
                inProcess = false;
                fetch(target, fault, composition.deadlineNanos(), this::fetched);
                return false;
            }
            key = cache.key(target, composition::header);
            long now = cache.nowMillis();
            CachedValue local = cache.local(key);
            switch (cache.judge(local, now)) {
                case FRESH -> {
                    cache.count(UpstreamCache.Result.HIT);
                    cacheOutcome = "hit";
                    return fromCache(local, now);
                }
                case REVALIDATE -> {
                    cache.count(UpstreamCache.Result.HIT);
                    cacheOutcome = "hit";
                    revalidate(target);
                    return fromCache(local, now);
                }
                default -> {
                    staleCandidate = local;
                    inProcess = false;
                    cache.remote(key, remote -> afterRemote(target, remote));
                    return false;
                }
            }
        }

        private void afterRemote(String target, CachedValue remote) {
            long now = cache.nowMillis();
            switch (cache.judge(remote, now)) {
                case FRESH -> {
                    cache.count(UpstreamCache.Result.HIT);
                    cacheOutcome = "hit";
                    fromCache(remote, now);
                }
                case REVALIDATE -> {
                    cache.count(UpstreamCache.Result.HIT);
                    cacheOutcome = "hit";
                    revalidate(target);
                    fromCache(remote, now);
                }
                default -> {
                    if (remote != null && (staleCandidate == null
                            || remote.storedAtMillis() > staleCandidate.storedAtMillis())) {
                        staleCandidate = remote;
                    }
                    throughFlight(target);
                }
            }
        }

        /** Misses on one key share one call: the first starts it, the others wait for it, holding no thread. */
        private void throughFlight(String target) {
            Flight flight = cache.flight(key);
            if (flight == null) {
                Flight mine = cache.startFlight(key);
                if (mine != null) {
                    // a call that landed after this request's lookup has stored its answer: take it, call nothing
                    long now = cache.nowMillis();
                    CachedValue landed = cache.local(key);
                    if (cache.judge(landed, now) == UpstreamCache.Freshness.FRESH) {
                        cache.land(key, mine, new Flight.Result(null, null, landed.value(), 0));
                        cache.count(UpstreamCache.Result.HIT);
                        cacheOutcome = "hit";
                        fromCache(landed, now);
                        return;
                    }
                    cache.count(UpstreamCache.Result.MISS);
                    cacheOutcome = "miss";
                    fetch(target, null, composition.deadlineNanos(), result -> {
                        store(result);
                        cache.land(key, mine, result);
                        fetched(result);
                    });
                    return;
                }
                flight = cache.flight(key);
            }
            cache.count(UpstreamCache.Result.COALESCED);
            cacheOutcome = "coalesced";
            if (flight == null || !flight.join(this::fetched)) {
                // the call landed in between: take its result, or start afresh if it is already gone
                Flight.Result landed = flight == null ? null : flight.result();
                if (landed != null) {
                    fetched(landed);
                } else {
                    throughFlight(target);
                }
                return;
            }
            // the shared call keeps its starter's deadline; this request gives up at its own
            long left = composition.deadlineNanos() - System.nanoTime();
            scheduler.schedule(() -> fetched(new Flight.Result(Failure.TIMEOUT,
                    "no answer within " + TimeUnit.NANOSECONDS.toMillis(left) + " ms (shared call)", null, 0)),
                    Math.max(0, left));
        }

        /** Refreshes the entry in the background, once across instances; no request waits for it. */
        private void revalidate(String target) {
            Duration lockFor = Duration.ofNanos(upstream.responseTimeoutNanos() * 2);
            cache.revalidate(key, lockFor, () -> {
                Flight mine = cache.startFlight(key);
                if (mine != null) {
                    fetch(target, null, System.nanoTime() + upstream.responseTimeoutNanos(), result -> {
                        store(result);
                        cache.land(key, mine, result);
                    });
                }
            });
        }

        private void store(Flight.Result result) {
            if (result.ok()) {
                cache.store(key, result.value(), tags.expand(p -> p.fromPart() && "response".equals(p.part())
                        ? field(result.value(), p) : value(composition, p)));
            }
        }

        private boolean fromCache(CachedValue entry, long now) {
            return finish(PartStatus.CACHED, entry.value(), null, null, entry.ageMillis(now));
        }

        /** The call ended; a failure may still be answered from the cache (policy stale). */
        private void fetched(Flight.Result result) {
            attempts = result.attempts();
            if (result.ok()) {
                finish(PartStatus.OK, result.value(), null, null, -1);
                return;
            }
            long now = cache == null ? 0 : cache.nowMillis();
            if (stale && staleCandidate != null && cache.judge(staleCandidate, now) != UpstreamCache.Freshness.NONE) {
                cache.count(UpstreamCache.Result.STALE);
                cacheOutcome = "stale";
                finish(PartStatus.STALE, staleCandidate.value(), result.failure(), result.reason(),
                        staleCandidate.ageMillis(now));
                return;
            }
            complete(result.failure(), result.reason(), null);
        }

        /** Completes with a failure, or with {@code value} when failure is null. */
        boolean complete(Failure failure, String reason, JsonNode value) {
            if (failure == null) {
                return finish(PartStatus.OK, value, null, null, -1);
            }
            PartStatus status = failure == Failure.DEPENDENCY ? PartStatus.SKIPPED
                    : required ? PartStatus.FAILED : PartStatus.DEFAULT;
            return finish(status, required ? null : fallback, failure, reason, -1);
        }

        /** Records the part and hands the exchange back to Camel; returns whether that happened synchronously. */
        private boolean finish(PartStatus status, JsonNode value, Failure failure, String reason, long ageMillis) {
            boolean sync = inProcess;
            inProcess = false;
            if (!completed.compareAndSet(false, true)) {
                return sync;
            }
            long nanos = System.nanoTime() - start;
            // may run on the client's I/O thread: anything thrown here would kill it and, with it, the upstream
            try {
                PartResult result = new PartResult(part, order, status, value, nanos, required, attempts, failure,
                        reason, ageMillis, upstream.name(), cacheOutcome, start - composition.startNanos());
                composition.record(result);
                if (span.isRecording()) {
                    span.setAttribute("oasis.part.status", status.label());
                    span.setAttribute("oasis.attempts", attempts);
                    span.setAttribute("oasis.breaker.state", protection.breaker().getState().name());
                    if (cacheOutcome != null) {
                        span.setAttribute("oasis.cache", cacheOutcome);
                    }
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, reason);
                    }
                }
                span.end();
                exchange.getMessage().setBody(value);
                if (status != PartStatus.CACHED && failure != Failure.DEPENDENCY) {
                    upstream.metrics().record(failure, nanos);
                }
                if (failure != null) {
                    LOG.debug("{}: {} ({})", routeId, reason, status.label());
                }
            } catch (Throwable e) {
                try (RequestContext.Scope ignored = context.enter(composition)) {
                    LOG.error("{}: unexpected failure recording the call", routeId, e);
                }
                exchange.setException(e instanceof Exception ex ? ex : new IllegalStateException(e));
            }
            try {
                callback.done(sync);
            } catch (Throwable e) {
                try (RequestContext.Scope ignored = context.enter(composition)) {
                    LOG.error("{}: unexpected failure continuing the route after the call", routeId, e);
                }
            }
            return sync;
        }

        private void fetch(String target, FaultInjection.Fault fault, long deadlineNanos,
                           Consumer<Flight.Result> then) {
            protection.retryBudget().recordCall();
            new Fetch(target, composition::header, Tracing.traceparent(span), fault, deadlineNanos, then).attempt();
        }
    }

    /**
     * One logical call to the upstream, across its attempts: rate limit, breaker, bulkhead, the request, retries.
     * Ends exactly once, with the answer or the last failure.
     */
    private final class Fetch {

        private final String target;
        private final Function<String, String> headers;
        private final String traceparent;
        private final long deadlineNanos;
        private final Consumer<Flight.Result> then;
        private final long start = System.nanoTime();
        private final AtomicBoolean ended = new AtomicBoolean();
        private FaultInjection.Fault fault;
        private int attempts;

        Fetch(String target, Function<String, String> headers, String traceparent, FaultInjection.Fault fault,
              long deadlineNanos, Consumer<Flight.Result> then) {
            this.target = target;
            this.headers = headers;
            this.traceparent = traceparent;
            this.fault = fault;
            this.deadlineNanos = deadlineNanos;
            this.then = then;
        }

        /** Sends the next attempt through the upstream's protection. */
        void attempt() {
            if (fault != null) {
                FaultInjection.Fault injected = fault;
                fault = null;
                scheduler.schedule(() -> guarded(injected.status() > 0
                        ? () -> end(Failure.UPSTREAM_STATUS, "injected fault: " + injected.status(), null)
                        : this::attempt), injected.delayNanos());
                return;
            }
            if (deadlineNanos - System.nanoTime() <= 0) {
                end(Failure.TIMEOUT, "not attempted: the endpoint's budget was spent", null);
                return;
            }
            UpstreamProtection.RateLimit limit = protection.rateLimit();
            if (limit != null && limit.shared() != null) {
                // counted in Redis for all instances: the call goes on when Redis answers, on a Lettuce thread
                limit.shared().tryConsume(upstream.name(), limit.bucket()).whenComplete((verdict, error) ->
                        guarded(() -> {
                            if (verdict != null && verdict.admitted()) {
                                send();
                            } else {
                                end(Failure.RATE_LIMITED, verdict != null && verdict.refusedUnchecked()
                                        ? "not called: the shared rate limit cannot be checked (Redis unreachable)"
                                        : "not called: the upstream's rate limit is reached", null);
                            }
                        }));
                return;
            }
            if (limit != null && !limit.bucket().tryConsume(1)) {
                end(Failure.RATE_LIMITED, "not called: the upstream's rate limit is reached", null);
                return;
            }
            send();
        }

        /** Through the breaker and the bulkhead onto the wire, with what is left of the budget. */
        private void send() {
            long now = System.nanoTime();
            long timeout = Math.min(upstream.responseTimeoutNanos(), deadlineNanos - now);
            if (timeout <= 0) {
                end(Failure.TIMEOUT, "not attempted: the endpoint's budget was spent", null);
                return;
            }
            CircuitBreaker breaker = protection.breaker();
            if (!breaker.tryAcquirePermission()) {
                end(Failure.SHORT_CIRCUITED, "not called: circuit breaker "
                        + breaker.getState().name().toLowerCase(Locale.ROOT).replace('_', ' '), null);
                return;
            }
            if (!protection.bulkhead().tryAcquirePermission()) {
                breaker.releasePermission();
                end(Failure.REJECTED, "not called: " + upstream.settings().maxInFlight()
                        + " calls to the upstream are already in flight", null);
                return;
            }
            attempts++;
            SimpleHttpRequest request = new SimpleHttpRequest(Method.GET, upstream.host(), target);
            // the socket timeout closes the connection at the deadline: HttpClient 5.5 does not abort an exchange on
            // a reused connection when its future is cancelled (the lease's cancellable replaces the exchange's)
            request.setConfig(upstream.requestConfig(timeout));
            request.setHeader("Accept", "application/json");
            request.setHeader("traceparent", traceparent);
            for (String header : upstream.forwardHeaders()) {
                String value = headers.apply(header);
                if (value != null) {
                    request.setHeader(header, value);
                }
            }
            Attempt attempt = new Attempt(this, now, timeout);
            attempt.start(upstream.send(request, attempt));
        }

        /** An attempt ended: tell the breaker, then retry or end. Runs on the client's I/O thread. */
        void attempted(Attempt attempt, Failure failure, int status, String retryAfter, String reason, JsonNode value) {
            protection.bulkhead().onComplete();
            long elapsed = System.nanoTime() - attempt.start;
            CircuitBreaker breaker = protection.breaker();
            if (failure == null || failure == Failure.UPSTREAM_STATUS && status >= 400 && status < 500
                    && status != 408 && status != 429) {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            } else if (failure == Failure.REJECTED
                    || failure == Failure.TIMEOUT && attempt.timeoutNanos < upstream.responseTimeoutNanos()) {
                // no pooled connection in time, or cut short by the endpoint's budget rather than by its own
                // timeout: says nothing about the upstream
                breaker.releasePermission();
            } else {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, new UpstreamFailure(failure));
            }
            if (failure != null && retry(failure, status, retryAfter)) {
                return;
            }
            end(failure, reason, value);
        }

        private boolean retry(Failure failure, int status, String retryAfter) {
            RetryPolicy policy = protection.retry();
            if (attempts >= policy.attempts() || !RetryPolicy.retryable(failure, status)) {
                return false;
            }
            long after = RetryPolicy.retryAfterNanos(retryAfter, ZonedDateTime.now(ZoneOffset.UTC));
            long delay = policy.delayNanos(attempts, after);
            // a retry left with less than half the time its first attempt had is not worth sending
            long left = deadlineNanos - System.nanoTime() - delay;
            if (left < Math.min(upstream.responseTimeoutNanos(), deadlineNanos - start) / 2) {
                return false;
            }
            if (!protection.retryBudget().tryRetry()) {
                upstream.metrics().retryDenied();
                return false;
            }
            upstream.metrics().retried();
            scheduler.schedule(() -> guarded(this::attempt), delay);
            return true;
        }

        /** Runs a step of the call on a timer thread; whatever it throws ends the call instead. */
        private void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure in a delayed step of the call", routeId, e);
                end(Failure.INTERNAL, "internal error in a delayed step of the call", null);
            }
        }

        void end(Failure failure, String reason, JsonNode value) {
            if (ended.compareAndSet(false, true)) {
                then.accept(new Flight.Result(failure, reason, value, attempts));
            }
        }
    }

    /** One request on the wire: ended once, by the answer, a failure, or the deadline cancelling it. */
    private final class Attempt implements FutureCallback<UpstreamAnswer> {

        private final Fetch fetch;
        private final long start;
        private final long timeoutNanos;
        private volatile ScheduledFuture<?> timer;

        Attempt(Fetch fetch, long start, long timeoutNanos) {
            this.fetch = fetch;
            this.start = start;
            this.timeoutNanos = timeoutNanos;
        }

        void start(Future<UpstreamAnswer> future) {
            if (!future.isDone()) {
                timer = scheduler.cancelAfter(future, timeoutNanos - (System.nanoTime() - start));
            }
        }

        @Override
        public void completed(UpstreamAnswer answer) {
            int code = answer.status();
            if (code < 200 || code > 299) {
                ended(Failure.UPSTREAM_STATUS, code, answer.retryAfter(), "upstream answered " + code, null);
                return;
            }
            JsonNode value;
            try {
                value = answer.length() == 0 ? null : json.readTree(answer.body(), 0, answer.length());
            } catch (IOException e) {
                value = null;
            }
            if (value == null || value.isMissingNode()) {
                ended(Failure.MALFORMED, code, null, "upstream answered " + code + " with malformed JSON", null);
            } else {
                ended(null, code, null, null, value);
            }
        }

        @Override
        public void failed(Exception ex) {
            if (ex instanceof UpstreamAnswer.TooLarge tooLarge) {
                ended(Failure.MALFORMED, 0, null, "upstream " + tooLarge.getMessage(), null);
            } else {
                LOG.debug("{}: the call failed: {}", routeId, ex.toString());
                ended(classify(ex), 0, null, describe(ex), null);
            }
        }

        @Override
        public void cancelled() {
            ended(Failure.TIMEOUT, 0, null,
                    "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
        }

        private void ended(Failure failure, int status, String retryAfter, String reason, JsonNode value) {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            try {
                fetch.attempted(this, failure, status, retryAfter, reason, value);
            } catch (Throwable e) {
                LOG.error("{}: unexpected failure after an attempt", routeId, e);
                fetch.end(Failure.INTERNAL, "internal error after the call", null);
            }
        }
    }

    /** What the circuit breaker records for a failed attempt; no stack trace, it is never thrown. */
    static final class UpstreamFailure extends Exception {

        UpstreamFailure(Failure failure) {
            super(failure.label(), null, false, false);
        }
    }

    static Failure classify(Exception ex) {
        if (ex instanceof java.util.concurrent.TimeoutException) {
            return Failure.REJECTED;
        }
        if (ex instanceof ConnectTimeoutException || !(ex instanceof InterruptedIOException)) {
            return Failure.CONNECTION;
        }
        return Failure.TIMEOUT;
    }

    static String describe(Exception ex) {
        if (ex instanceof ConnectException) {
            return "connection refused";
        }
        if (ex instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (ex instanceof java.util.concurrent.TimeoutException) {
            return "no free pooled connection in time";
        }
        if (ex instanceof UnknownHostException) {
            return "unknown host";
        }
        if (ex instanceof InterruptedIOException) {
            return "upstream timed out";
        }
        // the exception's own words (a TLS trust failure, a host's name) are for the log, not for clients
        return "connection failed";
    }
}
