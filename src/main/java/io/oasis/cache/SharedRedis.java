package io.oasis.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.OasisMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The Redis that every instance shares (Lettuce, non-blocking): the cache's second tier, shared rate limits,
 * invalidations, failed sign-in attempts. Redis is an accelerator, never a dependency:
 * a failed or slow command reads as a miss, after a failure Redis is left alone for {@code retry-after}, and the
 * requests go on with the local tier. Redis back, it is used again without a restart. Its state is the health
 * indicator {@code redis} (DEGRADED, answered with 200, while Redis is down) and the gauge
 * {@code oasis.cache.redis.up}.
 */
@Component("redis")
public class SharedRedis implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);

    private final boolean enabled;
    private final String prefix;
    private final long retryAfterNanos;
    private final Duration commandTimeout;
    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<StatefulRedisConnection<byte[], byte[]>> connection = new AtomicReference<>();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicLong downUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicBoolean warnedOnce = new AtomicBoolean();
    private final AtomicReference<String> lastError = new AtomicReference<>("not connected yet");
    private final Counter errors;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

    public SharedRedis(CacheProperties properties, MeterRegistry registry) {
        CacheProperties.Redis redis = properties.redis();
        this.enabled = redis.enabled();
        this.prefix = redis.keyPrefix();
        this.retryAfterNanos = redis.retryAfter().toNanos();
        this.commandTimeout = redis.commandTimeout();
        this.errors = Counter.builder(OasisMetrics.CACHE_REDIS_ERRORS)
                .description("Redis commands that failed or timed out").register(registry);
        Gauge.builder(OasisMetrics.CACHE_REDIS_UP, up, u -> enabled ? (u.get() ? 1 : 0) : -1)
                .description("1 Redis answers, 0 it does not (the local tier carries on), -1 not configured")
                .register(registry);
        if (!enabled) {
            this.client = null;
            this.uri = null;
            return;
        }
        try {
            this.uri = RedisURI.create(redis.uri());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("oasis.cache.redis.uri", redis.uri(), "not a Redis URI",
                    "Write it as redis://host:port[/db], or rediss:// for TLS.");
        }
        // the URI's timeout bounds the connection handshake; commands have their own (TimeoutOptions below)
        uri.setTimeout(redis.connectTimeout());
        // Lettuce's reconnect backs off up to 30 s by default: a Redis back after an outage would stay unused that
        // long, and so would the invalidations waiting for it. A reconnect attempt is cheap: at most every 2 s.
        Duration maxReconnectDelay = redis.retryAfter().multipliedBy(2).compareTo(Duration.ofSeconds(2)) < 0
                ? redis.retryAfter().multipliedBy(2) : Duration.ofSeconds(2);
        this.client = RedisClient.create(DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), maxReconnectDelay, 2,
                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(redis.connectTimeout()).build())
                // while disconnected, fail at once instead of queueing: a queued read would only be a late miss
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(redis.commandTimeout()))
                .build());
        connect();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The value under {@code key}, or null on a miss, an error, a timeout, or while Redis is left alone. */
    public void get(String key, Consumer<byte[]> then) {
        RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (redis == null) {
            then.accept(null);
            return;
        }
        redis.get(bytes(prefix + "c:" + key)).whenComplete((value, error) -> {
            if (error != null) {
                failed("GET", error);
                then.accept(null);
            } else {
                succeeded();
                then.accept(value);
            }
        });
    }

    /**
     * Stores the value for {@code ttl} and adds its key to each tag's sorted set, scored by when the entry expires;
     * fire and forget. Members whose entry has expired are trimmed on each store, so a tag's set holds the live
     * entries of that tag and no more, however long the tag lives.
     */
    public void set(String key, byte[] value, Duration ttl, Iterable<String> tags) {
        RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (redis == null) {
            return;
        }
        long now = System.currentTimeMillis();
        byte[] entry = bytes(prefix + "c:" + key);
        watch("SET", redis.set(entry, value, SetArgs.Builder.px(ttl.toMillis())));
        for (String tag : tags) {
            byte[] set = tagSet(tag);
            watch("ZADD", redis.zadd(set, (double) (now + ttl.toMillis()), bytes(key)));
            watch("ZREMRANGEBYSCORE", redis.zremrangebyscore(set, Range.create(Double.NEGATIVE_INFINITY, (double) now)));
            watch("PEXPIRE", redis.pexpire(set, ttl.toMillis()));
        }
    }

    /** A short lock across instances (SET NX PX); false when another instance holds it or Redis is away. */
    public void tryLock(String key, Duration ttl, Consumer<Boolean> then) {
        RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (redis == null) {
            then.accept(true);
            return;
        }
        redis.set(bytes(prefix + "l:" + key), new byte[] {1}, SetArgs.Builder.nx().px(ttl.toMillis()))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        failed("SET NX", error);
                        then.accept(true);
                    } else {
                        succeeded();
                        then.accept("OK".equals(ok));
                    }
                });
    }

    /** Delivers every message published on {@code channel}, by any instance, from now on; resubscribes after outages. */
    public void subscribe(String channel, Consumer<byte[]> listener) {
        if (!enabled) {
            return;
        }
        byte[] name = bytes(prefix + channel);
        client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((connection, error) -> {
            if (error != null) {
                failed("SUBSCRIBE", error);
                CompletableFuture.delayedExecutor(retryAfterNanos, java.util.concurrent.TimeUnit.NANOSECONDS)
                        .execute(() -> subscribe(channel, listener));
                return;
            }
            pubSub = connection;
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] ch, byte[] message) {
                    listener.accept(message);
                }
            });
            connection.async().subscribe(name);
        });
    }

    @Override
    public Health health() {
        if (!enabled) {
            return Health.up().withDetail("redis", "not configured: each instance caches alone").build();
        }
        if (up.get()) {
            return Health.up().withDetail("redis", uri.getHost() + ":" + uri.getPort()).build();
        }
        probe();
        return Health.status("DEGRADED").withDetail("redis", "unreachable: serving from the local tier")
                .withDetail("lastError", lastError.get()).build();
    }

    @Override
    public void destroy() {
        StatefulRedisConnection<byte[], byte[]> c = connection.get();
        if (c != null) {
            c.close();
        }
        if (pubSub != null) {
            pubSub.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            client.getResources().shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * The connection for other shared state (rate limits), or null while Redis is away or left alone after a
     * failure; report each outcome with {@link #succeeded()} or {@link #failed}.
     */
    public RedisAsyncCommands<byte[], byte[]> available() {
        return commands();
    }

    /** The command timeout: the longest a Redis command may take before it counts as failed. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** While down, a health check asks Redis (PING) so that its return shows without waiting for traffic. */
    private void probe() {
        RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (redis != null) {
            watch("PING", redis.ping());
        }
    }

    private RedisAsyncCommands<byte[], byte[]> commands() {
        return System.nanoTime() < downUntil.get() ? null : connectionEvenInBackOff();
    }

    private void connect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, error) -> {
            connecting.set(false);
            if (error != null) {
                failed("CONNECT", error);
            } else {
                connection.set(c);
                succeeded();
            }
        });
    }

    /**
     * The connection for an invalidation ({@link RedisInvalidations}), whether or not reads leave Redis alone now: an
     * invalidation is rare, and one silently skipped serves old data. Null while not connected.
     */
    RedisAsyncCommands<byte[], byte[]> connectionEvenInBackOff() {
        if (!enabled) {
            return null;
        }
        StatefulRedisConnection<byte[], byte[]> c = connection.get();
        if (c == null) {
            connect();
            return null;
        }
        return c.async();
    }

    /** Every key, tag set, lock and channel starts with it. */
    public String prefix() {
        return prefix;
    }

    byte[] tagSet(String tag) {
        // sorted sets under their own prefix: the plain sets of earlier versions ("t:") expire by themselves
        return bytes(prefix + "tz:" + tag);
    }

    static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private void watch(String command, CompletionStage<?> result) {
        result.whenComplete((ok, error) -> {
            if (error != null) {
                failed(command, error);
            } else {
                succeeded();
            }
        });
    }

    public void succeeded() {
        if (up.compareAndSet(false, true)) {
            LOG.info("Redis at {}:{} is available (shared cache tier and limits)", uri.getHost(), uri.getPort());
        }
    }

    public void failed(String command, Throwable error) {
        errors.increment();
        lastError.set(command + ": " + error.getClass().getSimpleName() + " " + error.getMessage());
        downUntil.set(System.nanoTime() + retryAfterNanos);
        if (up.compareAndSet(true, false) || warnedOnce.compareAndSet(false, true)) {
            LOG.warn("Redis unavailable ({}); the cache carries on with the local tier, shared limits as configured; "
                    + "retrying in {} ms",
                    lastError.get(), retryAfterNanos / 1_000_000);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
