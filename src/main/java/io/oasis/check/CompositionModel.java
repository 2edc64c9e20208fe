package io.oasis.check;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oasis.upstream.UpstreamSettings;

/**
 * What the lints read: the endpoints, their calls and the upstreams' settings as they resolve (presets and
 * defaults applied), taken from the running objects or built by hand in a test.
 */
public record CompositionModel(List<Endpoint> endpoints, List<Call> calls, Map<String, UpstreamSettings> upstreams) {

    /**
     * @param callBudget what the calls have: the budget less the assembly margin
     * @param targetRate declared peak req/s of one instance, or null
     * @param maxRate    the throttle's req/s, or null
     * @param file       the file of its route
     */
    public record Endpoint(String id, Duration callBudget, Long targetRate, Long maxRate, String file) {
    }

    /**
     * @param dependsOn parts whose answers this call's path or query uses
     * @param stale     its policy is stale
     * @param file      the file of its route
     */
    public record Call(String endpoint, String part, String upstream, String routeId, List<String> dependsOn,
                       boolean stale, String file) {
    }

    List<Call> callsOf(String endpoint) {
        return calls.stream().filter(c -> c.endpoint().equals(endpoint)).toList();
    }
}
