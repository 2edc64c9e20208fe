package io.oasis.upstream;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Abandons calls at their deadline: cancelling the client's future closes the connection and completes the call
 * as timed out, so no call outlives its endpoint's budget and no thread waits for it.
 */
@Component
public class CallDeadlines implements DisposableBean {

    private final ScheduledThreadPoolExecutor timer;

    public CallDeadlines() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "oasis-call-deadlines");
            t.setDaemon(true);
            return t;
        });
        // a call that answers in time cancels its timer; without this the cancelled timers would pile up
        timer.setRemoveOnCancelPolicy(true);
    }

    public ScheduledFuture<?> cancelAfter(Future<?> call, long nanos) {
        return timer.schedule(() -> call.cancel(true), nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
