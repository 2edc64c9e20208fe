package io.oasis.cache;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import static io.oasis.cache.SharedRedis.bytes;
import static io.oasis.cache.SharedRedis.text;

/**
 * What an invalidation does in Redis: delete entries (by key, tag or prefix, a page at a time so that no tag or
 * prefix is held in memory whole), count the fleet's invalidations, and tell the other instances. Each says whether
 * Redis took it (a failed stage), and each is tried even while reads leave Redis alone after a failure. Made by
 * {@link CacheInvalidation}, the one user.
 */
public final class RedisInvalidations {

    /** keys per page: no invalidation holds more of them in memory at once */
    private static final int PAGE = 500;

    private final SharedRedis shared;

    RedisInvalidations(SharedRedis shared) {
        this.shared = shared;
    }

    public boolean enabled() {
        return shared.enabled();
    }

    public CompletionStage<Void> deleteKey(String key) {
        RedisAsyncCommands<byte[], byte[]> redis = shared.connectionEvenInBackOff();
        if (redis == null) {
            return notConnected();
        }
        return checked("DEL", redis.del(bytes(shared.prefix() + "c:" + key)));
    }

    /** Deletes the entries of a tag, then the tag's set. */
    public CompletionStage<Void> deleteTag(String tag) {
        RedisAsyncCommands<byte[], byte[]> redis = shared.connectionEvenInBackOff();
        if (redis == null) {
            return notConnected();
        }
        byte[] set = shared.tagSet(tag);
        CompletableFuture<Void> done = new CompletableFuture<>();
        deletePaged("ZSCAN", redis, ScanCursor.INITIAL, cursor -> redis.zscan(set, cursor, ScanArgs.Builder.limit(PAGE)),
                page -> page.getValues().stream().map(m -> bytes(shared.prefix() + "c:" + text(m.getValue()))).toList(),
                done);
        return done.thenCompose(ignored -> checked("DEL", redis.del(set)));
    }

    /** Deletes every entry whose key starts with {@code keyPrefix} ("" for all), by SCAN, without blocking Redis. */
    public CompletionStage<Void> deletePrefix(String keyPrefix) {
        RedisAsyncCommands<byte[], byte[]> redis = shared.connectionEvenInBackOff();
        if (redis == null) {
            return notConnected();
        }
        String pattern = shared.prefix() + "c:" + keyPrefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(PAGE);
        CompletableFuture<Void> done = new CompletableFuture<>();
        deletePaged("SCAN", redis, ScanCursor.INITIAL, cursor -> redis.scan(cursor, args), page -> page.getKeys(), done);
        return done;
    }

    public CompletionStage<Void> publish(String channel, byte[] message) {
        RedisAsyncCommands<byte[], byte[]> redis = shared.connectionEvenInBackOff();
        if (redis == null) {
            return notConnected();
        }
        return checked("PUBLISH", redis.publish(bytes(shared.prefix() + channel), message));
    }

    /** Adds one to a counter shared by the fleet; its new value. */
    public CompletionStage<Long> increment(String counter) {
        RedisAsyncCommands<byte[], byte[]> redis = shared.connectionEvenInBackOff();
        if (redis == null) {
            return notConnected();
        }
        return redis.incr(bytes(shared.prefix() + counter)).whenComplete((value, error) -> outcome("INCR", error));
    }

    /**
     * A counter's value with the epoch of the data it lives in, as {@code epoch:count}: the epoch is a random id
     * Redis keeps beside the counter (made on first use), so a Redis that lost its data (a restart without
     * persistence, a flush) shows a new epoch even where the count came back to the same number. Null when Redis is
     * away.
     */
    public CompletionStage<String> readWithEpoch(String counter) {
        RedisAsyncCommands<byte[], byte[]> redis = shared.connectionEvenInBackOff();
        if (redis == null) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] epoch = bytes(shared.prefix() + counter + ":epoch");
        return redis.set(epoch, bytes(UUID.randomUUID().toString()), SetArgs.Builder.nx())
                .thenCompose(ignored -> redis.mget(epoch, bytes(shared.prefix() + counter)))
                .handle((values, error) -> {
                    outcome("MGET", error);
                    if (error != null) {
                        return null;
                    }
                    String count = values.get(1).hasValue() ? text(values.get(1).getValue()) : "0";
                    return values.get(0).hasValue() ? text(values.get(0).getValue()) + ":" + count : null;
                });
    }

    /** Deletes what each page of a scan names, page after page, until the scan is finished or a command fails. */
    private <P extends ScanCursor> void deletePaged(String command, RedisAsyncCommands<byte[], byte[]> redis,
                                                    ScanCursor cursor, Function<ScanCursor, CompletionStage<P>> scan,
                                                    Function<P, List<byte[]>> keys, CompletableFuture<Void> done) {
        scan.apply(cursor).whenComplete((page, error) -> {
            if (error != null) {
                outcome(command, error);
                done.completeExceptionally(error);
                return;
            }
            List<byte[]> named = keys.apply(page);
            CompletionStage<Void> deleted = named.isEmpty() ? CompletableFuture.completedFuture(null)
                    : checked("DEL", redis.del(named.toArray(new byte[0][])));
            deleted.whenComplete((ok, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else if (page.isFinished()) {
                    done.complete(null);
                } else {
                    deletePaged(command, redis, page, scan, keys, done);
                }
            });
        });
    }

    private CompletionStage<Void> checked(String command, CompletionStage<?> result) {
        return result.whenComplete((ok, error) -> outcome(command, error)).thenApply(ok -> null);
    }

    private void outcome(String command, Throwable error) {
        if (error != null) {
            shared.failed(command, error);
        } else {
            shared.succeeded();
        }
    }

    private static <T> CompletionStage<T> notConnected() {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
    }
}
