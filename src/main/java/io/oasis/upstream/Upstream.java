package io.oasis.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.cache.UpstreamCache;
import io.oasis.observe.UpstreamMetrics;
import io.oasis.resilience.SharedLimits;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import io.oasis.resilience.UpstreamProtection;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One declared upstream: its fixed host, its settings, its protection, its meters and its own pooled, keep-alive,
 * non-blocking HTTP client. Non-blocking because a blocking client holds a thread per in-flight call
 * (1,000 req/s x 6 calls x 60 ms = 360 threads).
 */
public final class Upstream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final String name;
    private final HttpHost host;
    private final String basePath;
    private final UpstreamSettings settings;
    private final long responseTimeoutNanos;
    private final int maxBodyBytes;
    private final List<String> forwardHeaders;
    private final RequestConfig defaults;
    private final PoolingAsyncClientConnectionManager pool;
    private final CloseableHttpAsyncClient client;
    private final UpstreamProtection protection;
    private final UpstreamMetrics metrics;
    private final UpstreamCache cache;

    /** Made by {@link Upstreams} from the configuration; public for the armour's stage tests. */
    public Upstream(String name, URI baseUrl, UpstreamSettings settings, MeterRegistry registry,
             Function<Upstream, UpstreamCache> cacheFactory, SharedLimits sharedLimits, SSLContext tls) {
        this.name = name;
        this.settings = settings;
        this.responseTimeoutNanos = settings.responseTimeout().toNanos();
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodySize().toBytes());
        this.forwardHeaders = settings.forwardHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (baseUrl == null) {
            // reached through Camel endpoints only (sql:, jms:, ...): its breaker, bulkhead and metrics, no client
            this.host = null;
            this.basePath = "";
            this.pool = null;
            this.defaults = null;
            this.client = null;
        } else {
            this.host = new HttpHost(baseUrl.getScheme(), baseUrl.getHost(), baseUrl.getPort());
            String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
            this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            this.pool = pool(settings, tls);
            this.defaults = RequestConfig.custom()
                    .setConnectionRequestTimeout(timeout(settings.pool().acquireTimeout()))
                    .setResponseTimeout(timeout(settings.responseTimeout()))
                    .build();
            this.client = client(name, pool, defaults, settings.pool());
        }
        this.protection = new UpstreamProtection(name, settings.breaker(), settings.retry(), settings.rateLimit(),
                settings.responseTimeout(), settings.maxInFlight(), sharedLimits);
        this.metrics = new UpstreamMetrics(name, registry, pool, protection.breaker());
        this.cache = settings.cache().enabled() ? cacheFactory.apply(this) : null;
        if (client != null) {
            client.start();
        }
    }

    private static PoolingAsyncClientConnectionManager pool(UpstreamSettings settings, SSLContext tls) {
        UpstreamSettings.Pool poolSettings = settings.pool();
        PoolingAsyncClientConnectionManagerBuilder poolBuilder = PoolingAsyncClientConnectionManagerBuilder.create();
        if (tls != null) {
            // the bundle's trust store and client certificate; host names verified as by default
            poolBuilder.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildAsync());
        }
        return poolBuilder
                .setMaxConnTotal(poolSettings.maxConnections())
                .setMaxConnPerRoute(poolSettings.maxConnections())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout(settings.connectTimeout()))
                        .setTimeToLive(TimeValue.ofMilliseconds(poolSettings.timeToLive().toMillis()))
                        // a pooled connection idle this long is checked before reuse (stale connection check)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
    }

    private static CloseableHttpAsyncClient client(String name, PoolingAsyncClientConnectionManager pool,
                                                   RequestConfig defaults, UpstreamSettings.Pool poolSettings) {
        return HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(1)
                        .setTcpNoDelay(true)
                        .setSoKeepAlive(true)
                        .build())
                .setDefaultRequestConfig(defaults)
                .setIoReactorExceptionCallback(e -> LOG.error("upstream {}: I/O reactor failure", name, e))
                .setThreadFactory(r -> {
                    Thread t = new Thread(r, "oasis-upstream-" + name);
                    t.setDaemon(true);
                    return t;
                })
                .evictIdleConnections(TimeValue.ofMilliseconds(poolSettings.idleTimeout().toMillis()))
                .evictExpiredConnections()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .setUserAgent("oasis")
                .build();
    }

    /** Has a base URL: {@code upstream:} calls reach it over HTTP. Without, only Camel endpoints reach it. */
    public boolean http() {
        return client != null;
    }

    public String name() {
        return name;
    }

    public HttpHost host() {
        return host;
    }

    /** The base URL's path, without a trailing slash; a call's path is appended to it. */
    public String basePath() {
        return basePath;
    }

    public UpstreamSettings settings() {
        return settings;
    }

    public long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    /** Lower-case names of the inbound headers this upstream may receive. */
    public List<String> forwardHeaders() {
        return forwardHeaders;
    }

    public UpstreamProtection protection() {
        return protection;
    }

    public UpstreamMetrics metrics() {
        return metrics;
    }

    /** This upstream's cache, or null when its ttl is 0. */
    public UpstreamCache cache() {
        return cache;
    }

    /** This upstream's request settings with the response timeout cut to what the call has left. */
    public RequestConfig requestConfig(long timeoutNanos) {
        return timeoutNanos >= responseTimeoutNanos ? defaults : RequestConfig.copy(defaults)
                .setResponseTimeout(Timeout.ofMilliseconds(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos))))
                .build();
    }

    /** The pool's figures; all zero for an upstream reached through Camel endpoints only. */
    public PoolStats poolStats() {
        return pool == null ? new PoolStats(0, 0, 0, 0) : pool.getTotalStats();
    }

    /** Sends the request on this upstream's pool; the callback runs on the client's I/O thread. */
    public Future<UpstreamAnswer> send(SimpleHttpRequest request, FutureCallback<UpstreamAnswer> callback) {
        return client.execute(SimpleRequestProducer.create(request), new UpstreamAnswer.Consumer(maxBodyBytes),
                callback);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close(CloseMode.GRACEFUL);
        }
    }

    private static Timeout timeout(Duration d) {
        return Timeout.ofMilliseconds(d.toMillis());
    }
}
