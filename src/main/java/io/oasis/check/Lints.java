package io.oasis.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.oasis.resilience.RateLimitSettings;
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
     * Timeouts and retries that cannot fit the endpoint's budget, by the rules a call follows at run time: a call
     * starts when the calls it waits for have answered (at worst, their response-timeouts added along the chain); a
     * timeout is never retried; a retry waits its backoff (min(max-delay, base-delay x 2^(n-1))) and is sent only with
     * at least half the first attempt's time left. So two findings: a chain whose timeouts add up past the budget
     * (the budget, not the timeouts, ends a hanging call), and retries that no failure, however fast, leaves time for.
     * The bare worst case, response-timeout x attempts + backoff, is not one: a retry after a slow failure is skipped
     * by design, and a configuration that avoided it would need timeouts too short for a moment's stall.
     */
    static void budgets(CompositionModel model, List<Finding> findings) {
        for (CompositionModel.Endpoint endpoint : model.endpoints()) {
            Map<String, CompositionModel.Call> byPart = new HashMap<>();
            model.callsOf(endpoint.id()).forEach(c -> byPart.put(c.part(), c));
            if (circular(byPart)) {
                continue; // an error of its own (CompositionCheck): no time can be added up along a circle
            }
            Map<String, Long> starts = new HashMap<>();
            long budget = endpoint.callBudget().toMillis();
            for (CompositionModel.Call call : byPart.values()) {
                UpstreamSettings s = model.upstreams().get(call.upstream());
                long start = startMillis(call, byPart, model, starts);
                long timeout = s.responseTimeout().toMillis();
                String after = start > 0 ? " after " + start + " ms of the calls it waits for" : "";
                String fix = "Lower " + key(call.upstream(), "response-timeout") + " (or those of the calls it waits "
                        + "for), or raise oasis.endpoints." + endpoint.id() + ".budget.";
                // reported once, at the call that tips its chain over
                if (start + timeout > budget && start <= budget) {
                    findings.add(new Finding(Severity.WARNING, "budget", call.file(), "route " + call.routeId(),
                            "its response-timeout " + timeout + " ms" + after + " ends past the " + budget + " ms "
                                    + "endpoint " + endpoint.id() + " leaves its calls: the budget, not the timeout, "
                                    + "ends it when the upstream hangs", fix));
                    continue;
                }
                int attempts = Math.max(1, s.retry().attempts());
                int sendable = 0;
                long at = start;
                long half = Math.min(timeout, budget - start) / 2;
                while (sendable < attempts - 1) {
                    at += backoffMillis(s, sendable + 1);
                    if (at + half > budget) {
                        break;
                    }
                    sendable++;
                }
                if (sendable < attempts - 1) {
                    findings.add(new Finding(Severity.WARNING, "budget", call.file(), "route " + call.routeId(),
                            "retry.attempts " + attempts + ", but even after failures that come at once only "
                                    + sendable + " retr" + (sendable == 1 ? "y" : "ies") + " fit the " + budget
                                    + " ms endpoint " + endpoint.id() + " leaves its calls" + after + " (backoff "
                                    + "before each, half the first attempt's " + half * 2 + " ms left for it)",
                            "Set " + key(call.upstream(), "retry.attempts") + " to " + (sendable + 1) + ", lower its "
                                    + "retry.base-delay or max-delay, or raise oasis.endpoints." + endpoint.id()
                                    + ".budget."));
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
            RateLimitSettings limit = s.rateLimit();
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

    /** When a call starts at worst: the calls it waits for, each up to its response-timeout, added along the chain. */
    private static long startMillis(CompositionModel.Call call, Map<String, CompositionModel.Call> byPart,
                                    CompositionModel model, Map<String, Long> memo) {
        Long known = memo.get(call.part());
        if (known != null) {
            return known;
        }
        long start = 0;
        for (String dependency : call.dependsOn()) {
            CompositionModel.Call d = byPart.get(dependency);
            if (d != null) {
                start = Math.max(start, startMillis(d, byPart, model, memo)
                        + model.upstreams().get(d.upstream()).responseTimeout().toMillis());
            }
        }
        memo.put(call.part(), start);
        return start;
    }

    /** Whether some calls wait for each other in a circle. */
    private static boolean circular(Map<String, CompositionModel.Call> byPart) {
        for (CompositionModel.Call call : byPart.values()) {
            java.util.Deque<CompositionModel.Call> next = new java.util.ArrayDeque<>(List.of(call));
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (!next.isEmpty()) {
                for (String dependency : next.pop().dependsOn()) {
                    if (dependency.equals(call.part())) {
                        return true;
                    }
                    CompositionModel.Call d = byPart.get(dependency);
                    if (d != null && seen.add(dependency)) {
                        next.push(d);
                    }
                }
            }
        }
        return false;
    }

    /** The longest wait before retry n (1 for the first): min(max-delay, base-delay x 2^(n-1)). */
    static long backoffMillis(UpstreamSettings s, int retry) {
        return Math.min(s.retry().maxDelay().toMillis(), s.retry().baseDelay().toMillis() << Math.min(retry - 1, 30));
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
