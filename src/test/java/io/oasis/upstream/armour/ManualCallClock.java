package io.oasis.upstream.armour;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamSettings;

/** A clock the test moves: tasks scheduled on it run when the test advances past their time, on its thread. */
final class ManualCallClock implements CallClock {

    private long now = 1_000_000_000L;
    private final List<Task> tasks = new ArrayList<>();

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long nanos) {
        Task t = new Task(now + nanos, task);
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> cancelAfter(Future<?> call, long nanos) {
        return schedule(() -> call.cancel(true), nanos);
    }

    void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        List<Task> due = tasks.stream().filter(t -> t.at <= now && !t.cancelled).toList();
        tasks.removeAll(due);
        due.forEach(t -> t.task.run());
    }

    int pending() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }

    /** A real upstream (its client pointed at a closed port, never called by these tests) with these settings. */
    static Upstream upstream(String name, UpstreamSettings settings) {
        return new Upstream(name, URI.create("http://127.0.0.1:9"), settings.over(UpstreamSettings.BUILT_IN),
                new SimpleMeterRegistry(), u -> null, null, null);
    }

    static Fetch fetch(Upstream upstream, ManualCallClock clock, long budgetMillis) {
        return fetch(upstream, clock, budgetMillis, e -> {
            throw new AssertionError("aborted", e);
        });
    }

    static Fetch fetch(Upstream upstream, ManualCallClock clock, long budgetMillis,
                       java.util.function.Consumer<Throwable> abort) {
        return new Fetch(upstream, "/x", h -> null, "00-0-0-00", null, clock.nanoTime(),
                clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis), abort);
    }

    private static final class Task implements ScheduledFuture<Object> {

        final long at;
        final Runnable task;
        volatile boolean cancelled;

        Task(long at, Runnable task) {
            this.at = at;
            this.task = task;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
