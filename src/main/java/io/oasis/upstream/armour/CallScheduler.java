package io.oasis.upstream.armour;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The timers of upstream calls: a call abandoned at its deadline, a retry started after its backoff. One thread
 * runs them all; what they trigger is short (cancel a future, start a non-blocking request).
 */
@Component
public class CallScheduler implements CallClock, DisposableBean {

    private final ScheduledThreadPoolExecutor timer;

    public CallScheduler() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "oasis-call-timers");
            t.setDaemon(true);
            return t;
        });
        // a call that answers in time cancels its timer; without this the cancelled timers would pile up
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Cancels the call at its deadline: cancelling the client's future completes the call as timed out. */
    @Override
    public ScheduledFuture<?> cancelAfter(Future<?> call, long nanos) {
        return timer.schedule(() -> call.cancel(true), nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
