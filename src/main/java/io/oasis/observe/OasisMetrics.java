package io.oasis.observe;

/**
 * Every metric name Oasis publishes, in one place. Tags are bounded: endpoint and part names come from the routes,
 * upstream names from the configuration, outcomes from enums; never a path, a query or a user.
 */
public final class OasisMetrics {

    /** Timer per endpoint request, arrival to answer (histogram, p50/p95/p99, SLO buckets): tags endpoint, status. */
    public static final String ENDPOINT_REQUESTS = "oasis.endpoint.requests";
    /** Counter of error answers: tags endpoint, status (4xx, 5xx), type (the problem type). */
    public static final String ENDPOINT_ERRORS = "oasis.endpoint.errors";
    /** Counter of 200 answers with at least one part not fresh: tag endpoint. */
    public static final String ENDPOINT_DEGRADED = "oasis.endpoint.degraded";
    /** Timer per upstream call (all attempts of one part): tags upstream, outcome. */
    public static final String UPSTREAM_CALLS = "oasis.upstream.calls";
    /** Counter of retries made: tag upstream. */
    public static final String UPSTREAM_RETRIES = "oasis.upstream.retries";
    /** Counter of retries refused by the retry budget: tag upstream. */
    public static final String UPSTREAM_RETRIES_DENIED = "oasis.upstream.retries.denied";
    /** Gauge of the upstream's circuit breaker: 0 closed, 1 open, 2 half open (3 others); tag upstream. */
    public static final String UPSTREAM_BREAKER_STATE = "oasis.upstream.breaker.state";
    /** Counter of breaker state changes: tags upstream, to (closed, open, half_open, ...). */
    public static final String UPSTREAM_BREAKER_TRANSITIONS = "oasis.upstream.breaker.transitions";
    /** Gauges of the upstream's connection pool: tag upstream. */
    public static final String UPSTREAM_POOL_LEASED = "oasis.upstream.pool.leased";
    public static final String UPSTREAM_POOL_PENDING = "oasis.upstream.pool.pending";
    public static final String UPSTREAM_POOL_MAX = "oasis.upstream.pool.max";
    /** Counter of parts answered: tags endpoint, part, status (ok, default, failed, skipped). */
    public static final String ENDPOINT_PARTS = "oasis.endpoint.parts";
    /** Counter of requests refused because Oasis was at its concurrency: tag reason. */
    public static final String REQUESTS_SHED = "oasis.requests.shed";
    /** Gauge of endpoint requests in service now (at most oasis.request-limits.max-in-flight). */
    public static final String REQUESTS_IN_FLIGHT = "oasis.requests.in.flight";
    /** Counter of requests refused by a rate limit: tag limit (client, endpoint). */
    public static final String REQUESTS_RATE_LIMITED = "oasis.requests.rate.limited";
    /** Counter of requests refused for their size, before any route: tag reason (body-too-large, header-too-large). */
    public static final String REQUESTS_REFUSED = "oasis.requests.refused";
    /** Counter of requests refused for their bearer token: tag reason (missing, invalid, keys-unavailable). */
    public static final String REQUESTS_UNAUTHORIZED = "oasis.requests.unauthorized";
    /** Shared (Redis) rate-limit decisions taken without Redis: {@code limit}, {@code outcome} local|refused. */
    public static final String SHARED_LIMIT_FALLBACKS = "oasis.shared.limit.fallbacks";

    /** Counter of cache lookups: tags upstream (or endpoint= for whole answers), result (hit, stale, miss, coalesced). */
    public static final String CACHE_REQUESTS = "oasis.cache.requests";
    /** Counter of whole-answer cache lookups: tags endpoint, result (hit, miss). */
    public static final String ENDPOINT_CACHE_REQUESTS = "oasis.endpoint.cache.requests";
    /** Counter of background refreshes started by stale-while-revalidate: tag upstream. */
    public static final String CACHE_REFRESHES = "oasis.cache.refreshes";
    /** Counter of entries evicted from the local tier for size: tag upstream. */
    public static final String CACHE_EVICTIONS = "oasis.cache.evictions";
    /** Gauge of entries in the local tier: tag upstream. */
    public static final String CACHE_SIZE = "oasis.cache.size";
    /** Counter of invalidations applied: tags source (api, webhook, event, jmx, cluster), scope. */
    public static final String CACHE_INVALIDATIONS = "oasis.cache.invalidations";
    /** Gauge of invalidations applied on this instance that Redis has not taken yet (retried until it does). */
    public static final String CACHE_INVALIDATIONS_PENDING = "oasis.cache.invalidations.pending";
    /** Counter of local tiers dropped because an invalidation message from another instance was missed. */
    public static final String CACHE_INVALIDATIONS_MISSED = "oasis.cache.invalidations.missed";
    /** Gauge: 1 Redis answers, 0 it does not, -1 not configured. */
    public static final String CACHE_REDIS_UP = "oasis.cache.redis.up";
    /** Counter of Redis commands that failed or timed out. */
    public static final String CACHE_REDIS_ERRORS = "oasis.cache.redis.errors";

    /** Gauge of alerts firing now: tag severity. */
    public static final String ALERTS_FIRING = "oasis.alerts.firing";
    /** Counter of notifications: tags channel, result (sent, retried, failed, dropped). */
    public static final String ALERT_NOTIFICATIONS = "oasis.alert.notifications";
    /** Gauge of an objective's error budget left over its window (1 untouched, 0 spent): tags endpoint, objective. */
    public static final String SLO_BUDGET_REMAINING = "oasis.slo.budget.remaining";
    /** Gauge of how fast an objective's budget burns (1 = exactly over its window): tags endpoint, objective, window. */
    public static final String SLO_BURN_RATE = "oasis.slo.burn.rate";

    public static final String TAG_UPSTREAM = "upstream";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_ENDPOINT = "endpoint";
    public static final String TAG_PART = "part";
    public static final String TAG_STATUS = "status";
    public static final String TAG_TYPE = "type";
    public static final String TAG_REASON = "reason";
    public static final String TAG_LIMIT = "limit";
    public static final String TAG_TO = "to";
    public static final String TAG_RESULT = "result";
    public static final String TAG_SOURCE = "source";
    public static final String TAG_SCOPE = "scope";
    public static final String TAG_CHANNEL = "channel";
    public static final String TAG_SEVERITY = "severity";
    public static final String TAG_OBJECTIVE = "objective";
    public static final String TAG_WINDOW = "window";

    private OasisMetrics() {
    }
}
