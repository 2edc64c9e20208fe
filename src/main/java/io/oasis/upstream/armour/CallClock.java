package io.oasis.upstream.armour;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/** Time as the armour sees it: now, and later. Injected, so that each stage is tested on a clock the test moves. */
public interface CallClock {

    long nanoTime();

    /** Runs the task after so many nanoseconds, on a timer thread. */
    ScheduledFuture<?> schedule(Runnable task, long nanos);

    /** Cancels the call at its deadline: cancelling the client's future completes the call as timed out. */
    ScheduledFuture<?> cancelAfter(Future<?> call, long nanos);
}
