package io.oasis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a Linux process from /proc: CPU used so far (user + system), the part of it spent by the JIT
 * compiler threads (C1/C2 CompilerThread: warm-up, not the steady cost of a request), and resident memory.
 * Two readings around a phase give the CPU that phase cost.
 */
record ProcessSample(long cpuMillis, long jitMillis, long rssKb, long rssPeakKb) {

    /** Reads {@code /proc/<pid>}; "self" reads this JVM. {@code clockTicks}: getconf CLK_TCK. Null if it is gone. */
    static ProcessSample of(String pid, int clockTicks) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            long ticks = ticks(stat);
            long rss = 0;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                }
            }
            long jit = 0;
            try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).matches("C\\d CompilerThre.*\\s*")) {
                            jit += ticks(Files.readString(task.resolve("stat")));
                        }
                    } catch (IOException ended) {
                        // the thread ended between listing and reading
                    }
                }
            }
            return new ProcessSample(ticks * 1000 / clockTicks, jit * 1000 / clockTicks, rss, peak);
        } catch (IOException e) {
            System.err.println("bench: cannot read /proc/" + pid + " (has the process ended?): " + e);
            return null;
        }
    }

    /** utime + stime (fields 14, 15) of a /proc stat line; the name (field 2) may hold spaces: count after it. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** CPU milliseconds all cores together have been busy since boot (first line of /proc/stat, less idle and iowait). */
    static long machineBusyMillis(int clockTicks) {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
            }
            return busy * 1000 / clockTicks;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }
}
