package io.oasis.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * What the measured phase counted. Touched by the event loop thread only, so nothing here is synchronised.
 * Latency is recorded for every answer (any status) and for every timeout (at the timeout: a lower bound).
 */
final class Tally {

    static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    final Histogram latencyMicros = new Histogram(HIGHEST_MICROS, 3);
    /** 2xx answers only: what the admitted requests waited */
    final Histogram okMicros = new Histogram(HIGHEST_MICROS, 3);
    /** 503 answers only: how fast a refusal comes */
    final Histogram refusedMicros = new Histogram(HIGHEST_MICROS, 3);
    long sent;
    long ok;
    final Map<Integer, Long> non2xx = new TreeMap<>();
    long timeouts;
    long connectErrors;
    /** no free connection and the pool at its cap */
    long noConnection;
    /** the connection closed or failed while the request was in flight */
    long closed;
    /** answers carrying an Oasis-Degraded header */
    long degraded;

    /** 503 answers without a Retry-After header: a client would not know when to come back */
    long refusedWithoutRetryAfter;

    void answered(int status, boolean isDegraded, boolean retryAfter, long latencyNanos) {
        record(latencyMicros, latencyNanos);
        if (status >= 200 && status < 300) {
            ok++;
            record(okMicros, latencyNanos);
        } else {
            if (status == 503) {
                record(refusedMicros, latencyNanos);
                refusedWithoutRetryAfter += retryAfter ? 0 : 1;
            }
            non2xx.merge(status, 1L, Long::sum);
        }
        if (isDegraded) {
            degraded++;
        }
    }

    void timedOut(long timeoutNanos) {
        record(latencyMicros, timeoutNanos);
        timeouts++;
    }

    long answers() {
        return ok + non2xx.values().stream().mapToLong(Long::longValue).sum();
    }

    long errors() {
        return answers() - ok + timeouts + connectErrors + noConnection + closed;
    }

    long refused() {
        return non2xx.getOrDefault(503, 0L);
    }

    private static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }
}
