package io.oasis.bench;

/**
 * What the processes in play had used at one instant: two readings bracket the measured phase. The generator
 * shares the cores with Oasis and the upstreams, so all of them are read, and the whole machine besides.
 */
record Usage(long atNanos, ProcessSample server, ProcessSample upstreams, ProcessSample generator,
             long machineBusyMillis) {

    static Usage now(Options options) {
        return new Usage(System.nanoTime(), read(options.pid(), options.clockTicks()),
                read(options.upstreamsPid(), options.clockTicks()), ProcessSample.of("self", options.clockTicks()),
                ProcessSample.machineBusyMillis(options.clockTicks()));
    }

    /** Cores kept busy on average between two readings: CPU milliseconds per wall millisecond. */
    static double cores(long cpuMillisBefore, long cpuMillisAfter, Usage before, Usage after) {
        double wallMillis = (after.atNanos - before.atNanos) / 1e6;
        return wallMillis <= 0 ? 0 : (cpuMillisAfter - cpuMillisBefore) / wallMillis;
    }

    private static ProcessSample read(long pid, int clockTicks) {
        return pid > 0 ? ProcessSample.of(Long.toString(pid), clockTicks) : null;
    }
}
