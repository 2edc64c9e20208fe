package io.oasis.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.oasis.check.Finding.Severity;
import io.oasis.upstream.UpstreamSettings;

/**
 * The rules that read routes and settings together, as warnings: each says where, what and the fix. A finding about
 * a setting names the key to change and leaves its file to be filled in ({@link CompositionCheck} knows where each
 * value came from).
 */
public final class Lints {

    private Lints() {
    }

    public static List<Finding> run(CompositionModel model, CheckProperties bounds) {
        List<Finding> findings = new ArrayList<>();
        staleWindows(model, findings);
        retryAmplification(model, bounds, findings);
        budgets(model, findings);
        pools(model, bounds, findings);
        upstreamRateLimits(model, findings);
        return findings;
    }

    /** Stale answers that expire while the breaker is still open, and a stale policy with no stale answers. */
    static void staleWindows(CompositionModel model, List<Finding> findings) {
        model.upstreams().forEach((name, s) -> {
            Duration staleIfError = s.cache().staleIfError();
            if (s.cache().enabled() && !staleIfError.isZero() && staleIfError.compareTo(s.breaker().openDuration()) < 0) {
                findings.add(new Finding(Severity.WARNING, "stale-window", null,
                        key(name, "cache.stale-if-error"), "keeps stale answers " + ms(staleIfError)
                        + " but the breaker stays open " + ms(s.breaker().openDuration())
                        + ": while it is open, cached answers expire and calls fall back to their default",
                        "Make stale-if-error at least breaker.open-duration (" + ms(s.breaker().openDuration()) + ")."));
            }
        });
        for (CompositionModel.Call call : model.calls()) {
            UpstreamSettings s = model.upstreams().get(call.upstream());
            if (call.stale() && s != null && (!s.cache().enabled() || s.cache().staleIfError().isZero())) {
                findings.add(new Finding(Severity.WARNING, "stale-window", call.file(), "route " + call.routeId(),
                        "policy stale, but upstream " + call.upstream() + " keeps no stale answers (cache.ttl or "
                                + "cache.stale-if-error is 0): a failure takes the next policy",
                        "Give " + key(call.upstream(), "cache") + " a ttl and a stale-if-error, or use policy "
                                + "default."));
            }
        }
    }

    /** Upstream requests one endpoint request causes when every call is retried to its last attempt. */
    static void retryAmplification(CompositionModel model, CheckProperties bounds, List<Finding> findings) {
        for (CompositionModel.Endpoint endpoint : model.endpoints()) {
            List<CompositionModel.Call> calls = model.callsOf(endpoint.id());
            int worst = 0;
            List<String> terms = new ArrayList<>();
            for (CompositionModel.Call call : calls) {
                int attempts = attempts(model, call);
                worst += attempts;
                terms.add(call.part() + " " + attempts);
            }
            if (worst > bounds.maxCallsPerRequest()) {
                findings.add(new Finding(Severity.WARNING, "retry-amplification", endpoint.file(),
                        "route " + endpoint.id(), "one request can send " + worst + " upstream requests when every "
                        + "call retries (" + String.join(", ", terms) + "), more than oasis.check.max-calls-per-request "
                        + bounds.maxCallsPerRequest(), "Lower retry.attempts of its upstreams (2 is one retry), "
                        + "or raise oasis.check.max-calls-per-request if the upstreams can take it."));
            }
        }
    }

    /**
     * Calls that cannot finish within the endpoint's budget even on paper: response timeout x attempts plus the
     * longest backoffs, added along a chain of dependent calls. The budget cuts them, so their retries are never sent.
     */
    static void budgets(CompositionModel model, List<Finding> findings) {
        for (CompositionModel.Endpoint endpoint : model.endpoints()) {
            Map<String, CompositionModel.Call> byPart = new HashMap<>();
            model.callsOf(endpoint.id()).forEach(c -> byPart.put(c.part(), c));
            Map<String, Long> pathMillis = new HashMap<>();
            for (CompositionModel.Call call : byPart.values()) {
                long path = pathMillis(call, byPart, model, pathMillis, 0);
                long before = call.dependsOn().stream().filter(byPart::containsKey)
                        .mapToLong(d -> pathMillis(byPart.get(d), byPart, model, pathMillis, 0)).max().orElse(0);
                long budget = endpoint.callBudget().toMillis();
                // reported once, at the call that tips its chain over
                if (path > budget && before <= budget) {
                    UpstreamSettings s = model.upstreams().get(call.upstream());
                    String chain = before > 0 ? " after " + before + " ms of the calls it waits for" : "";
                    findings.add(new Finding(Severity.WARNING, "budget", call.file(), "route " + call.routeId(),
                            "can take " + worstMillis(s) + " ms (response-timeout " + ms(s.responseTimeout()) + " x "
                                    + s.retry().attempts() + " attempts + backoff)" + chain + ", more than the "
                                    + budget + " ms endpoint " + endpoint.id() + " leaves its calls: the budget cuts "
                                    + "it and its retries are never sent",
                            "Lower " + key(call.upstream(), "response-timeout") + " or its retry.attempts, or raise "
                                    + "oasis.endpoints." + endpoint.id() + ".budget."));
                }
            }
        }
    }

    /** Pools and bulkheads smaller than target req/s x latency x headroom, for endpoints that declare a target. */
    static void pools(CompositionModel model, CheckProperties bounds, List<Finding> findings) {
        model.upstreams().forEach((name, s) -> {
            if (s.latency() == null) {
                return;
            }
            double perSecond = demand(model, name, true);
            if (perSecond == 0) {
                return;
            }
            long needed = (long) Math.ceil(perSecond * s.latency().toNanos() / 1e9 * bounds.poolHeadroom());
            String why = "at the endpoints' target rates " + Math.round(perSecond) + " calls/s of " + ms(s.latency())
                    + " need " + needed + " (x " + bounds.poolHeadroom() + ")";
            if (s.pool().maxConnections() < needed) {
                findings.add(new Finding(Severity.WARNING, "pool-size", null, key(name, "pool.max-connections"),
                        s.pool().maxConnections() + " connections: " + why
                                + "; calls beyond them wait pool.acquire-timeout, then fail",
                        "Set it to " + needed + " or more."));
            }
            if (s.maxInFlight() < needed) {
                findings.add(new Finding(Severity.WARNING, "pool-size", null, key(name, "max-in-flight"),
                        s.maxInFlight() + " calls at once: " + why + "; calls beyond them fail at once",
                        "Set it to " + needed + " or more."));
            }
        });
    }

    /** An upstream rate limit below what the endpoints calling it send at their rate. */
    static void upstreamRateLimits(CompositionModel model, List<Finding> findings) {
        model.upstreams().forEach((name, s) -> {
            UpstreamSettings.RateLimit limit = s.rateLimit();
            if (limit.requests() == 0) {
                return;
            }
            double allowed = limit.requests() * 1e9 / limit.per().toNanos();
            double sent = demand(model, name, false);
            if (sent > allowed) {
                findings.add(new Finding(Severity.WARNING, "upstream-rate-limit", null, key(name, "rate-limit.requests"),
                        limit.requests() + " per " + ms(limit.per()) + " (" + Math.round(allowed) + "/s), but the "
                                + "endpoints calling it send " + Math.round(sent) + " calls/s at their target (else "
                                + "max) rate: the calls beyond it are not made and their parts take their policy",
                        "Raise the limit, cache the upstream's answers, or lower the endpoints' max-rate."));
            }
        });
    }

    /** Calls per second to an upstream: each endpoint's target rate (or, unless targetOnly, max rate) x its calls. */
    private static double demand(CompositionModel model, String upstream, boolean targetOnly) {
        double perSecond = 0;
        for (CompositionModel.Endpoint endpoint : model.endpoints()) {
            Long rate = endpoint.targetRate() != null ? endpoint.targetRate() : targetOnly ? null : endpoint.maxRate();
            if (rate != null) {
                perSecond += rate * model.callsOf(endpoint.id()).stream()
                        .filter(c -> c.upstream().equals(upstream)).count();
            }
        }
        return perSecond;
    }

    private static long pathMillis(CompositionModel.Call call, Map<String, CompositionModel.Call> byPart,
                                   CompositionModel model, Map<String, Long> memo, int depth) {
        Long known = memo.get(call.part());
        if (known != null) {
            return known;
        }
        long before = 0;
        // a circle is an error reported by CompositionCheck; here it only must not recurse for ever
        if (depth < byPart.size()) {
            for (String dependency : call.dependsOn()) {
                CompositionModel.Call d = byPart.get(dependency);
                if (d != null) {
                    before = Math.max(before, pathMillis(d, byPart, model, memo, depth + 1));
                }
            }
        }
        long path = before + worstMillis(model.upstreams().get(call.upstream()));
        memo.put(call.part(), path);
        return path;
    }

    /** response-timeout x attempts, plus the longest wait before each retry: min(max-delay, base-delay x 2^(n-1)). */
    static long worstMillis(UpstreamSettings s) {
        int attempts = Math.max(1, s.retry().attempts());
        long millis = s.responseTimeout().toMillis() * attempts;
        for (int n = 1; n < attempts; n++) {
            millis += Math.min(s.retry().maxDelay().toMillis(), s.retry().baseDelay().toMillis() << Math.min(n - 1, 30));
        }
        return millis;
    }

    private static int attempts(CompositionModel model, CompositionModel.Call call) {
        UpstreamSettings s = model.upstreams().get(call.upstream());
        return s == null ? 1 : Math.max(1, s.retry().attempts());
    }

    static String key(String upstream, String setting) {
        return "oasis.upstreams." + upstream + "." + setting;
    }

    private static String ms(Duration d) {
        return d.toMillis() + " ms";
    }
}
