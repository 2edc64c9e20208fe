package io.oasis.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.compose.Failure;

/**
 * One upstream call that several requests wait for: concurrent misses on a key make one call, and each waiter
 * gets its result (single-flight). Waiting holds no thread: a waiter is a callback.
 */
public final class Flight {

    /** How a call ended: failure null means value holds the answer. */
    public record Result(Failure failure, String reason, JsonNode value, int attempts) {

        public boolean ok() {
            return failure == null;
        }
    }

    private final List<Consumer<Result>> waiters = new ArrayList<>(2);
    private Result result;

    /** Waits for the result; false when it is already there (the caller then uses {@link #result()}). */
    public synchronized boolean join(Consumer<Result> waiter) {
        if (result != null) {
            return false;
        }
        waiters.add(waiter);
        return true;
    }

    public synchronized Result result() {
        return result;
    }

    void complete(Result outcome) {
        List<Consumer<Result>> toCall;
        synchronized (this) {
            result = outcome;
            toCall = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Consumer<Result> waiter : toCall) {
            waiter.accept(outcome);
        }
    }
}
