package io.oasis.resilience;

import java.util.function.LongSupplier;

/**
 * Caps retries to an upstream at a share of its calls over a sliding window (plus a floor for low traffic), so
 * that an upstream failing every call receives at most (1 + ratio) times its normal load, not attempts times.
 * Hand-written: resilience4j's Retry has no budget; this is Finagle's RetryBudget in a few lines.
 */
public final class RetryBudget {

    private static final long SECOND = 1_000_000_000L;

    private final double ratio;
    private final int minPerSecond;
    private final int seconds;
    private final LongSupplier nanoClock;
    private final long[] calls;
    private final long[] retries;
    private long currentSecond;

    /**
     * @param ratio        retries allowed per call in the window
     * @param minPerSecond retries allowed per second whatever the ratio
     * @param seconds      the window, in one-second buckets
     * @param nanoClock    {@link System#nanoTime()} outside tests
     */
    public RetryBudget(double ratio, int minPerSecond, int seconds, LongSupplier nanoClock) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.seconds = seconds;
        this.nanoClock = nanoClock;
        this.calls = new long[seconds];
        this.retries = new long[seconds];
        this.currentSecond = Math.floorDiv(nanoClock.getAsLong(), SECOND);
    }

    /** A first attempt was made. */
    public synchronized void recordCall() {
        calls[roll()]++;
    }

    /** Takes one retry from the budget, or says there is none left. */
    public synchronized boolean tryRetry() {
        int now = roll();
        long callSum = 0;
        long retrySum = 0;
        for (int i = 0; i < seconds; i++) {
            callSum += calls[i];
            retrySum += retries[i];
        }
        if (retrySum >= Math.max((long) minPerSecond * seconds, (long) (ratio * callSum))) {
            return false;
        }
        retries[now]++;
        return true;
    }

    /** Clears the buckets of the seconds that passed since the last call and returns the current bucket. */
    private int roll() {
        long second = Math.floorDiv(nanoClock.getAsLong(), SECOND);
        long passed = Math.min(second - currentSecond, seconds);
        for (long s = 1; s <= passed; s++) {
            int bucket = (int) Math.floorMod(currentSecond + s, seconds);
            calls[bucket] = 0;
            retries[bucket] = 0;
        }
        if (passed > 0) {
            currentSecond = second;
        }
        return (int) Math.floorMod(currentSecond, seconds);
    }
}
