package io.oasis.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;


/**
 * One upstream call that several requests wait for: concurrent misses on a key make one call, and each waiter
 * gets its result (single-flight). Waiting holds no thread: a waiter is a callback.
 */
public final class Flight<R> {

    private final List<Consumer<R>> waiters = new ArrayList<>(2);
    private R result;

    /** Waits for the result; false when it is already there (the caller then uses {@link #result()}). */
    public synchronized boolean join(Consumer<R> waiter) {
        if (result != null) {
            return false;
        }
        waiters.add(waiter);
        return true;
    }

    public synchronized R result() {
        return result;
    }

    void complete(R outcome) {
        List<Consumer<R>> toCall;
        synchronized (this) {
            if (result != null) {
                return; // landed already (an aborted request lands its call too)
            }
            result = outcome;
            toCall = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Consumer<R> waiter : toCall) {
            waiter.accept(outcome);
        }
    }
}
