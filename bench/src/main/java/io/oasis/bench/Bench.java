package io.oasis.bench;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

/**
 * Runs one load phase and prints its result as {@code key=value} lines (bench/run turns them into the report).
 * Latencies in milliseconds, rates in requests per second, memory in MiB.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LoadGenerator.Run run = new LoadGenerator(options).run();
        print(options, run, System.out);
        if (options.hgrm() != null) {
            try (PrintStream out = new PrintStream(options.hgrm())) {
                run.tally().latencyMicros.outputPercentileDistribution(out, 1000.0); // microseconds -> ms
            } catch (FileNotFoundException e) {
                System.err.println("cannot write --hgrm " + options.hgrm() + ": " + e.getMessage());
            }
        }
    }

    private static void print(Options options, LoadGenerator.Run run, PrintStream out) {
        Tally t = run.tally();
        Histogram h = t.latencyMicros;
        long answers = t.answers();
        double seconds = run.elapsedNanos() / 1e9;
        line(out, "mode", options.sequential() > 0 ? "sequential" : "open");
        line(out, "target_rate", options.sequential() > 0 ? "-" : fmt(options.rate(), 0));
        line(out, "achieved_rate", seconds > 0 ? fmt(answers / seconds, 1) : "0");
        line(out, "seconds", fmt(seconds, 1));
        line(out, "sent", t.sent);
        line(out, "answered", answers);
        line(out, "ok", t.ok);
        line(out, "non2xx", t.non2xx.isEmpty() ? "none" : t.non2xx.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",")));
        line(out, "timeouts", t.timeouts);
        line(out, "connect_errors", t.connectErrors);
        line(out, "no_connection", t.noConnection);
        line(out, "closed", t.closed);
        line(out, "errors", t.errors());
        line(out, "error_pct", t.sent > 0 ? fmt(100.0 * t.errors() / t.sent, 2) : "0");
        line(out, "degraded", t.degraded);
        line(out, "p50_ms", ms(h.getValueAtPercentile(50)));
        line(out, "p90_ms", ms(h.getValueAtPercentile(90)));
        line(out, "p99_ms", ms(h.getValueAtPercentile(99)));
        line(out, "p999_ms", ms(h.getValueAtPercentile(99.9)));
        line(out, "max_ms", ms(h.getMaxValue()));
        line(out, "mean_ms", fmt(h.getMean() / 1000, 1));
        line(out, "connections_peak", run.connectionsPeak());
        // how late the generator itself sent a request; a large value means the client, not the server, lagged
        line(out, "send_lag_max_ms", fmt(run.sendLagMaxNanos() / 1e6, 1));
        line(out, "ok_p99_ms", ms(t.okMicros.getValueAtPercentile(99)));
        line(out, "refused", t.refused());
        line(out, "refused_without_retry_after", t.refusedWithoutRetryAfter);
        line(out, "refused_p99_ms", ms(t.refusedMicros.getValueAtPercentile(99)));
        // with --then: each stage, and each second of the measured phase (by intended send time)
        List<Options.Stage> stages = options.stages();
        for (int k = 0; k < run.stages().size() && run.stages().size() > 1; k++) {
            Tally s = run.stages().get(k);
            String stage = String.join(" ",
                    "rate=" + fmt(stages.get(k).rate(), 0),
                    "seconds=" + stages.get(k).duration().toSeconds(),
                    "sent=" + s.sent,
                    "ok=" + s.ok,
                    "refused=" + s.refused(),
                    "other_errors=" + (s.errors() - s.refused()),
                    "ok_p50_ms=" + ms(s.okMicros.getValueAtPercentile(50)),
                    "ok_p99_ms=" + ms(s.okMicros.getValueAtPercentile(99)),
                    "ok_max_ms=" + ms(s.okMicros.getMaxValue()),
                    "refused_p50_ms=" + ms(s.refusedMicros.getValueAtPercentile(50)),
                    "refused_p99_ms=" + ms(s.refusedMicros.getValueAtPercentile(99)),
                    "refused_max_ms=" + ms(s.refusedMicros.getMaxValue()));
            line(out, "stage." + (k + 1), stage);
        }
        for (int w = 0; w < run.seconds().size(); w++) {
            Tally s = run.seconds().get(w);
            line(out, "second." + w, s.sent + " " + s.ok + " " + s.refused() + " " + (s.errors() - s.refused()) + " "
                    + ms(s.okMicros.getValueAtPercentile(99)));
        }
        Usage before = run.before();
        Usage after = run.after();
        if (before == null) {
            return; // nothing was measured (a warm-up only)
        }
        // cores kept busy during the measured phase: the generator shares them with Oasis and the upstreams
        line(out, "machine_cores", fmt(Usage.cores(before.machineBusyMillis(), after.machineBusyMillis(), before, after), 2));
        line(out, "bench_cores", cores(before.generator(), after.generator(), before, after));
        line(out, "upstreams_cores", cores(before.upstreams(), after.upstreams(), before, after));
        line(out, "server_cores", cores(before.server(), after.server(), before, after));
        if (before.server() != null && after.server() != null) {
            long cpu = after.server().cpuMillis() - before.server().cpuMillis();
            line(out, "server_cpu_ms", cpu);
            line(out, "server_cpu_ms_per_req", answers > 0 ? fmt((double) cpu / answers, 2) : "-");
            long jit = after.server().jitMillis() - before.server().jitMillis();
            line(out, "server_jit_ms_per_req", answers > 0 ? fmt((double) jit / answers, 2) : "-");
            line(out, "server_rss_mb", after.server().rssKb() / 1024);
            line(out, "server_rss_peak_mb", after.server().rssPeakKb() / 1024);
        }
    }

    private static String cores(ProcessSample first, ProcessSample last, Usage before, Usage after) {
        return first == null || last == null ? "-"
                : fmt(Usage.cores(first.cpuMillis(), last.cpuMillis(), before, after), 2);
    }

    private static String ms(long micros) {
        return fmt(micros / 1000.0, 1);
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static void line(PrintStream out, String key, Object value) {
        out.println(key + "=" + value);
    }
}
