package io.oasis.admin;

import java.time.Duration;

import io.oasis.resilience.UpstreamProtection;
import io.oasis.upstream.Upstream;
import org.apache.hc.core5.pool.PoolStats;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * One upstream's protection as JMX attributes and operations, {@code io.oasis:type=Upstream,name=<upstream>}:
 * the operator's levers when an upstream misbehaves. Changes hold on this instance until it restarts.
 */
@ManagedResource(description = "An upstream's circuit breaker, rate limit, bulkhead and pool")
public class UpstreamOperations {

    private final Upstream upstream;
    private final UpstreamProtection protection;

    public UpstreamOperations(Upstream upstream) {
        this.upstream = upstream;
        this.protection = upstream.protection();
    }

    @ManagedAttribute(description = "CLOSED (calls pass), OPEN (calls fail at once), HALF_OPEN (probing), "
            + "FORCED_OPEN (opened by an operator)")
    public String getBreakerState() {
        return protection.breaker().getState().name();
    }

    @ManagedAttribute(description = "Failed calls in the breaker's window, percent; -1 before minimum-calls")
    public float getBreakerFailureRate() {
        return protection.breaker().getMetrics().getFailureRate();
    }

    @ManagedAttribute(description = "Slow calls in the breaker's window, percent; -1 before minimum-calls")
    public float getBreakerSlowCallRate() {
        return protection.breaker().getMetrics().getSlowCallRate();
    }

    @ManagedOperation(description = "Open the breaker until closeBreaker: every call fails at once and its part "
            + "takes its policy (default, stale cache). For an upstream being repaired.")
    public void openBreaker() {
        protection.breaker().transitionToForcedOpenState();
    }

    @ManagedOperation(description = "Close the breaker and forget its window: calls pass again")
    public void closeBreaker() {
        protection.breaker().reset();
    }

    @ManagedAttribute(description = "Calls in flight now (the bulkhead's count)")
    public int getInFlight() {
        return upstream.settings().maxInFlight() - protection.bulkhead().getMetrics().getAvailableConcurrentCalls();
    }

    @ManagedAttribute(description = "Calls in flight at most (bulkhead)")
    public int getMaxInFlight() {
        return upstream.settings().maxInFlight();
    }

    @ManagedAttribute(description = "Connections leased now / waiting for a connection / at most")
    public String getPool() {
        PoolStats stats = upstream.poolStats();
        return stats.getLeased() + " leased, " + stats.getPending() + " pending, " + stats.getMax() + " max";
    }

    @ManagedAttribute(description = "The rate limit in force, e.g. '100 per 1s'; 'none'")
    public String getRateLimit() {
        UpstreamProtection.RateLimit limit = protection.rateLimit();
        return limit == null ? "none" : limit.requests() + " per " + readable(limit.per());
    }

    @ManagedAttribute(description = "Calls the rate limit lets through now; -1 without a limit")
    public long getRateLimitAvailable() {
        UpstreamProtection.RateLimit limit = protection.rateLimit();
        return limit == null ? -1 : limit.bucket().getAvailableTokens();
    }

    @ManagedOperation(description = "Replace the rate limit of all calls to this upstream (0 requests: no limit); "
            + "calls over it fail at once and their parts take their policy")
    @ManagedOperationParameter(name = "requests", description = "calls per period, 0 for no limit")
    @ManagedOperationParameter(name = "per", description = "the period, e.g. 1s or 1m")
    public void setRateLimit(long requests, String per) {
        Duration period;
        try {
            period = DurationStyle.detectAndParse(per);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("per: '" + per + "' is not a duration; write e.g. 1s or 1m");
        }
        protection.setRateLimit(requests, period);
    }

    /** 1h, 1m, 30s, 250ms: the largest whole unit. */
    private static String readable(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
