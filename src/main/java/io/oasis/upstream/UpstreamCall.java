package io.oasis.upstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.compose.Composition;
import io.oasis.compose.Failure;
import io.oasis.compose.PartResult;
import io.oasis.compose.PartStatus;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of the upstream-call template: the part's URL from its template, only allow-listed headers, the
 * request on the upstream's own pool without holding a thread, JSON parsed once, the outcome and its time recorded
 * in the request's {@link Composition}. A failure never escapes as an exception: it becomes the part's policy.
 */
public final class UpstreamCall extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

    private final String routeId;
    private final String part;
    private final int order;
    private final Upstream upstream;
    private final UrlTemplate url;
    private final Set<String> dependencies;
    private final boolean required;
    private final JsonNode fallback;
    private final ObjectMapper json;
    private final CallDeadlines deadlines;

    UpstreamCall(String routeId, String part, int order, Upstream upstream, UrlTemplate url, boolean required,
                 JsonNode fallback, ObjectMapper json, CallDeadlines deadlines) {
        this.routeId = routeId;
        this.part = part;
        this.order = order;
        this.upstream = upstream;
        this.url = url;
        this.dependencies = url.dependencies();
        this.required = required;
        this.fallback = fallback;
        this.json = json;
        this.deadlines = deadlines;
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
        long start = System.nanoTime();
        try {
            return call(exchange, composition, start, callback);
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure preparing the call", routeId, e);
            return notCalled(exchange, composition, start, Failure.INTERNAL, "internal error preparing the call",
                    callback);
        }
    }

    /** Completes the part without a request, synchronously. */
    private boolean notCalled(Exchange exchange, Composition composition, long start, Failure failure, String reason,
                              AsyncCallback callback) {
        finish(exchange, composition, start, failure, reason, null);
        callback.done(true);
        return true;
    }

    private boolean call(Exchange exchange, Composition composition, long start, AsyncCallback callback) {
        for (String dependency : dependencies) {
            PartResult earlier = composition.part(dependency);
            if (earlier == null || !earlier.ok()) {
                String why = earlier == null ? "was not called" : "is " + earlier.status().label();
                return notCalled(exchange, composition, start, Failure.DEPENDENCY,
                        "not attempted: " + dependency + " " + why, callback);
            }
        }
        String target = url.expand(upstream.basePath(), p -> value(composition, p));
        if (target == null) {
            return notCalled(exchange, composition, start, Failure.DEPENDENCY,
                    "not attempted: a value for its URL is missing", callback);
        }
        long timeout = Math.min(upstream.responseTimeout().toNanos(), composition.deadlineNanos() - start);
        if (timeout <= 0) {
            return notCalled(exchange, composition, start, Failure.TIMEOUT,
                    "not attempted: the endpoint's budget was spent", callback);
        }
        SimpleHttpRequest request = new SimpleHttpRequest(Method.GET, upstream.host(), target);
        // the socket timeout closes the connection at the deadline: HttpClient 5.5 does not abort an exchange on a
        // reused connection when its future is cancelled (the lease's cancellable replaces the exchange's)
        request.setConfig(upstream.requestConfig(timeout));
        request.setHeader("Accept", "application/json");
        for (String header : upstream.forwardHeaders()) {
            String value = composition.header(header);
            if (value != null) {
                request.setHeader(header, value);
            }
        }
        InFlight inFlight = new InFlight(exchange, composition, start, timeout, callback);
        inFlight.start(upstream.send(request, inFlight));
        return false;
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

    private void finish(Exchange exchange, Composition composition, long start, Failure failure, String reason,
                        JsonNode value) {
        long nanos = System.nanoTime() - start;
        PartResult result;
        if (failure == null) {
            result = new PartResult(part, order, PartStatus.OK, value, nanos, required, null, null);
        } else {
            PartStatus status = failure == Failure.DEPENDENCY ? PartStatus.SKIPPED
                    : required ? PartStatus.FAILED : PartStatus.DEFAULT;
            result = new PartResult(part, order, status, required ? null : fallback, nanos, required, failure, reason);
            LOG.debug("{}: {} ({})", routeId, reason, status.label());
        }
        composition.record(result);
        exchange.getMessage().setBody(result.value());
    }

    /** A call on the wire: completed once, by the response, a failure, or the deadline cancelling it. */
    private final class InFlight implements FutureCallback<SimpleHttpResponse> {

        private final Exchange exchange;
        private final Composition composition;
        private final long start;
        private final long timeoutNanos;
        private final AsyncCallback callback;
        private volatile ScheduledFuture<?> timer;

        InFlight(Exchange exchange, Composition composition, long start, long timeoutNanos, AsyncCallback callback) {
            this.exchange = exchange;
            this.composition = composition;
            this.start = start;
            this.timeoutNanos = timeoutNanos;
            this.callback = callback;
        }

        void start(Future<SimpleHttpResponse> future) {
            if (!future.isDone()) {
                timer = deadlines.cancelAfter(future, timeoutNanos - (System.nanoTime() - start));
            }
        }

        @Override
        public void completed(SimpleHttpResponse response) {
            int code = response.getCode();
            if (code < 200 || code > 299) {
                done(Failure.UPSTREAM_STATUS, "upstream answered " + code, null);
                return;
            }
            JsonNode value;
            try {
                byte[] body = response.getBodyBytes();
                value = body == null || body.length == 0 ? null : json.readTree(body);
            } catch (IOException e) {
                value = null;
            }
            if (value == null || value.isMissingNode()) {
                done(Failure.MALFORMED, "upstream answered " + code + " with malformed JSON", null);
            } else {
                done(null, null, value);
            }
        }

        @Override
        public void failed(Exception ex) {
            done(classify(ex), describe(ex), null);
        }

        @Override
        public void cancelled() {
            done(Failure.TIMEOUT, "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
        }

        private void done(Failure failure, String reason, JsonNode value) {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            // this runs on the client's I/O thread: anything thrown here would kill it and, with it, the upstream
            try {
                finish(exchange, composition, start, failure, reason, value);
            } catch (Throwable e) {
                LOG.error("{}: unexpected failure recording the call", routeId, e);
                exchange.setException(e instanceof Exception ex ? ex : new IllegalStateException(e));
            }
            try {
                callback.done(false);
            } catch (Throwable e) {
                LOG.error("{}: unexpected failure continuing the route after the call", routeId, e);
            }
        }
    }

    static Failure classify(Exception ex) {
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
