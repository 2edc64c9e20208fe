package io.oasis.upstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.oasis.compose.Composition;
import io.oasis.compose.Failure;
import io.oasis.compose.PartResult;
import io.oasis.compose.PartStatus;
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
 * URL from its template, then per attempt the upstream's rate limit, circuit breaker and bulkhead, the request on
 * the upstream's own pool (holding no thread) with only allow-listed headers and a deadline that never passes the
 * endpoint's budget, the answer bounded in size and parsed once; retries with backoff within the retry budget; the
 * outcome recorded in the request's {@link Composition} and in metrics. A failure never escapes as an exception:
 * it becomes the part's policy.
 */
public final class UpstreamCall extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

    private final String routeId;
    private final String part;
    private final int order;
    private final Upstream upstream;
    private final UpstreamProtection protection;
    private final UrlTemplate url;
    private final Set<String> dependencies;
    private final boolean required;
    private final JsonNode fallback;
    private final ObjectMapper json;
    private final CallScheduler scheduler;

    UpstreamCall(String routeId, String part, int order, Upstream upstream, UrlTemplate url, boolean required,
                 JsonNode fallback, ObjectMapper json, CallScheduler scheduler) {
        this.routeId = routeId;
        this.part = part;
        this.order = order;
        this.upstream = upstream;
        this.protection = upstream.protection();
        this.url = url;
        this.dependencies = url.dependencies();
        this.required = required;
        this.fallback = fallback;
        this.json = json;
        this.scheduler = scheduler;
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
        Call call = new Call(exchange, composition, callback);
        try {
            for (String dependency : dependencies) {
                PartResult earlier = composition.part(dependency);
                if (earlier == null || !earlier.ok()) {
                    String why = earlier == null ? "was not called" : "is " + earlier.status().label();
                    return call.complete(Failure.DEPENDENCY, "not attempted: " + dependency + " " + why, null);
                }
            }
            call.target = url.expand(upstream.basePath(), p -> value(composition, p));
            if (call.target == null) {
                return call.complete(Failure.DEPENDENCY, "not attempted: a value for its URL is missing", null);
            }
            protection.retryBudget().recordCall();
            return call.attempt();
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure preparing the call", routeId, e);
            return call.complete(Failure.INTERNAL, "internal error preparing the call", null);
        }
    }

    /** A value for a URL placeholder: an endpoint parameter or a scalar field of an earlier part's JSON. */
    private static String value(Composition composition, UrlTemplate.Placeholder placeholder) {
        if (!placeholder.fromPart()) {
            return composition.parameter(placeholder.name());
        }
        JsonNode node = composition.part(placeholder.part()).value();
        for (String field : placeholder.fields()) {
            node = node == null ? null : node.get(field);
        }
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    /** One part's call, across its attempts; completed exactly once. */
    private final class Call {

        private final Exchange exchange;
        private final Composition composition;
        private final AsyncCallback callback;
        private final long start = System.nanoTime();
        private String target;
        private int attempts;
        /** true while {@link #process} runs: completing then is synchronous for Camel */
        private boolean inProcess = true;
        private final AtomicBoolean completed = new AtomicBoolean();
        private boolean faultPending = true;

        Call(Exchange exchange, Composition composition, AsyncCallback callback) {
            this.exchange = exchange;
            this.composition = composition;
            this.callback = callback;
        }

        /** Sends the next attempt through the upstream's protection; true when the call completed at once. */
        boolean attempt() {
            FaultInjection.Fault fault = faultPending ? composition.fault(upstream.name()) : null;
            if (fault != null) {
                faultPending = false;
                inProcess = false;
                scheduler.schedule(() -> guarded(fault.status() > 0
                        ? () -> complete(Failure.UPSTREAM_STATUS, "injected fault: " + fault.status(), null)
                        : this::attempt), fault.delayNanos());
                return false;
            }
            long now = System.nanoTime();
            long timeout = Math.min(upstream.responseTimeoutNanos(), composition.deadlineNanos() - now);
            if (timeout <= 0) {
                return complete(Failure.TIMEOUT, "not attempted: the endpoint's budget was spent", null);
            }
            if (!protection.tryRate()) {
                return complete(Failure.RATE_LIMITED, "not called: the upstream's rate limit is reached", null);
            }
            CircuitBreaker breaker = protection.breaker();
            if (!breaker.tryAcquirePermission()) {
                return complete(Failure.SHORT_CIRCUITED, "not called: circuit breaker " + breaker.getState()
                        .name().toLowerCase(Locale.ROOT), null);
            }
            if (!protection.bulkhead().tryAcquirePermission()) {
                breaker.releasePermission();
                return complete(Failure.REJECTED, "not called: " + upstream.settings().maxInFlight()
                        + " calls to the upstream are already in flight", null);
            }
            attempts++;
            SimpleHttpRequest request = new SimpleHttpRequest(Method.GET, upstream.host(), target);
            // the socket timeout closes the connection at the deadline: HttpClient 5.5 does not abort an exchange on
            // a reused connection when its future is cancelled (the lease's cancellable replaces the exchange's)
            request.setConfig(upstream.requestConfig(timeout));
            request.setHeader("Accept", "application/json");
            for (String header : upstream.forwardHeaders()) {
                String value = composition.header(header);
                if (value != null) {
                    request.setHeader(header, value);
                }
            }
            Attempt attempt = new Attempt(this, now, timeout);
            // from here the call completes asynchronously, even if the client fails it before send returns
            inProcess = false;
            attempt.start(upstream.send(request, attempt));
            return false;
        }

        /** An attempt ended: tell the breaker, then retry or complete. Runs on the client's I/O thread. */
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
            complete(failure, reason, value);
        }

        private boolean retry(Failure failure, int status, String retryAfter) {
            RetryPolicy policy = protection.retry();
            if (attempts >= policy.attempts() || !RetryPolicy.retryable(failure, status)) {
                return false;
            }
            long after = RetryPolicy.retryAfterNanos(retryAfter, ZonedDateTime.now(ZoneOffset.UTC));
            long delay = policy.delayNanos(attempts, after);
            // a retry left with less than half the time its first attempt had is not worth sending
            long left = composition.deadlineNanos() - System.nanoTime() - delay;
            if (left < Math.min(upstream.responseTimeoutNanos(), composition.deadlineNanos() - start) / 2) {
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

        /** Runs a step of the call on a timer thread; whatever it throws completes the call instead. */
        private void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure in a delayed step of the call", routeId, e);
                complete(Failure.INTERNAL, "internal error in a delayed step of the call", null);
            }
        }

        /** Records the part and hands the exchange back to Camel; returns whether that happened synchronously. */
        boolean complete(Failure failure, String reason, JsonNode value) {
            long nanos = System.nanoTime() - start;
            boolean sync = inProcess;
            inProcess = false;
            if (!completed.compareAndSet(false, true)) {
                return sync;
            }
            // may run on the client's I/O thread: anything thrown here would kill it and, with it, the upstream
            try {
                PartResult result;
                if (failure == null) {
                    result = new PartResult(part, order, PartStatus.OK, value, nanos, required, attempts, null, null);
                } else {
                    PartStatus status = failure == Failure.DEPENDENCY ? PartStatus.SKIPPED
                            : required ? PartStatus.FAILED : PartStatus.DEFAULT;
                    result = new PartResult(part, order, status, required ? null : fallback, nanos, required,
                            attempts, failure, reason);
                    LOG.debug("{}: {} ({})", routeId, reason, status.label());
                }
                composition.record(result);
                exchange.getMessage().setBody(result.value());
                if (failure != Failure.DEPENDENCY) {
                    upstream.metrics().record(failure, nanos);
                }
            } catch (Throwable e) {
                LOG.error("{}: unexpected failure recording the call", routeId, e);
                exchange.setException(e instanceof Exception ex ? ex : new IllegalStateException(e));
            }
            try {
                callback.done(sync);
            } catch (Throwable e) {
                LOG.error("{}: unexpected failure continuing the route after the call", routeId, e);
            }
            return sync;
        }
    }

    /** One request on the wire: ended once, by the answer, a failure, or the deadline cancelling it. */
    private final class Attempt implements FutureCallback<UpstreamAnswer> {

        private final Call call;
        private final long start;
        private final long timeoutNanos;
        private volatile ScheduledFuture<?> timer;

        Attempt(Call call, long start, long timeoutNanos) {
            this.call = call;
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
                call.attempted(this, failure, status, retryAfter, reason, value);
            } catch (Throwable e) {
                LOG.error("{}: unexpected failure after an attempt", routeId, e);
                call.complete(Failure.INTERNAL, "internal error after the call", null);
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
        String message = ex.getMessage();
        return "connection failed: " + ex.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
