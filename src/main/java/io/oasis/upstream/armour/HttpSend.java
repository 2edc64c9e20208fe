package io.oasis.upstream.armour;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.oasis.upstream.Failure;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamAnswer;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt on the wire, on the upstream's own pool, holding no thread: only the allow-listed headers and the
 * trace context go out; the attempt ends once, with the answer (bounded in size), a failure, or its timeout.
 */
public final class HttpSend implements Stage<Fetch, Attempted> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSend.class);

    private final CallClock clock;

    public HttpSend(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        Upstream upstream = fetch.upstream();
        long timeout = Math.min(fetch.attemptTimeoutNanos(), fetch.deadlineNanos() - clock.nanoTime());
        if (timeout <= 0) {
            done.accept(Attempted.refused(Failure.TIMEOUT, AttemptDeadline.SPENT));
            return;
        }
        fetch.attemptTimeoutNanos(timeout);
        fetch.attempted();
        SimpleHttpRequest request = new SimpleHttpRequest(Method.GET, upstream.host(), fetch.target());
        // the socket timeout closes the connection at the deadline: HttpClient 5.5 does not abort an exchange on a
        // reused connection when its future is cancelled (the lease's cancellable replaces the exchange's)
        request.setConfig(upstream.requestConfig(timeout));
        request.setHeader("Accept", "application/json");
        request.setHeader("traceparent", fetch.traceparent());
        for (String header : upstream.forwardHeaders()) {
            String value = fetch.header(header);
            if (value != null) {
                request.setHeader(header, value);
            }
        }
        Attempt attempt = new Attempt(fetch, timeout, done);
        attempt.started(upstream.send(request, attempt));
    }

    /** One request on the wire: ended once, by the answer, a failure, or the deadline cancelling it. */
    private final class Attempt implements FutureCallback<UpstreamAnswer> {

        private final Fetch fetch;
        private final long timeoutNanos;
        private final long start = clock.nanoTime();
        private final Consumer<Attempted> done;
        private volatile ScheduledFuture<?> timer;

        Attempt(Fetch fetch, long timeoutNanos, Consumer<Attempted> done) {
            this.fetch = fetch;
            this.timeoutNanos = timeoutNanos;
            this.done = done;
        }

        void started(Future<UpstreamAnswer> future) {
            if (!future.isDone()) {
                timer = clock.cancelAfter(future, timeoutNanos - (clock.nanoTime() - start));
            }
        }

        @Override
        public void completed(UpstreamAnswer answer) {
            ended(Attempted.answered(answer));
        }

        @Override
        public void failed(Exception ex) {
            if (ex instanceof UpstreamAnswer.TooLarge tooLarge) {
                ended(Attempted.failed(Failure.MALFORMED, "upstream " + tooLarge.getMessage()));
            } else {
                LOG.debug("{}: the call failed: {}", fetch.upstream().name(), ex.toString());
                ended(Attempted.failed(classify(ex), describe(ex)));
            }
        }

        @Override
        public void cancelled() {
            ended(Attempted.failed(Failure.TIMEOUT,
                    "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
        }

        /** Runs on the client's I/O thread: anything thrown here would kill it and, with it, the upstream. */
        private void ended(Attempted attempted) {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            try {
                done.accept(attempted);
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure after an attempt", fetch.upstream().name(), e);
                fetch.abort(e);
            }
        }
    }

    static Failure classify(Exception ex) {
        if (ex instanceof TimeoutException) {
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
        if (ex instanceof TimeoutException) {
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
