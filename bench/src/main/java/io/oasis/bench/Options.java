package io.oasis.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line, checked at once: a bad value stops the run with the flag and the value in the message.
 * <p>
 * Open model: {@code --url U --rate R --duration D [--warmup W]}. One at a time: {@code --url U --sequential N}.
 * In the URL, {@code {n}} becomes a user id cycling over 1..{@code --users}.
 */
record Options(
        URI url,
        /* requests per second, open model; 0 in sequential mode */
        double rate,
        /* the measured phase (open model) */
        Duration duration,
        /* sent at the same rate before the measured phase, not recorded */
        Duration warmup,
        /* > 0: closed loop, one request after the other, this many recorded */
        int sequential,
        /* counted from the intended send time; a later answer is a timeout, not a latency */
        Duration timeout,
        /* connections open at once, at most; a request finding none free is an error */
        int maxConnections,
        /* the {n} in the URL cycles over 1..users */
        int users,
        /* true: {n} is drawn at random (uniform, fixed seed) instead of cycling, so cached answers of different users
           expire at different times, as with real traffic */
        boolean randomUsers,
        /* pid of the server to sample in /proc (CPU, RSS); 0: none */
        long pid,
        /* pid of the upstreams' process, for its CPU; 0: none */
        long upstreamsPid,
        /* clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK) */
        int clockTicks,
        /* where to write the HdrHistogram percentile distribution; null: nowhere */
        String hgrm,
        /* measured after the first stage (rate, duration), each at its own rate: an overload burst, a recovery */
        List<Stage> then) {

    /** A stretch of the measured phase at one rate. */
    record Stage(double rate, Duration duration) {
    }

    static final String USAGE = """
            usage: java -jar oasis-bench.jar --url 'http://127.0.0.1:8080/api/dashboard?userId={n}'
                     (--rate R --duration 20s [--warmup 5s] | --sequential 200)
                     [--timeout 2s] [--max-connections 4096] [--users 1000] [--order cycle|random]
                     [--pid PID] [--upstreams-pid PID] [--clk-tck 100] [--hgrm FILE]
                     [--then 3600:30s,1800:20s]  (more measured stages after --rate/--duration, reported per
                                                  stage and per second)""";

    static Options parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --flag value, got '" + args[i] + "'\n" + USAGE);
            }
            flags.put(args[i].substring(2), args[++i]);
        }
        Options options = new Options(
                url(required(flags, "url")),
                number(flags, "rate", "0"),
                duration(flags, "duration", "20s"),
                duration(flags, "warmup", "5s"),
                (int) number(flags, "sequential", "0"),
                duration(flags, "timeout", "2s"),
                (int) number(flags, "max-connections", "4096"),
                (int) number(flags, "users", "1000"),
                order(flags.remove("order")),
                (long) number(flags, "pid", "0"),
                (long) number(flags, "upstreams-pid", "0"),
                (int) number(flags, "clk-tck", "100"),
                flags.remove("hgrm"),
                stages(flags.remove("then")));
        if (!flags.isEmpty()) {
            throw new IllegalArgumentException("unknown flag(s) " + flags.keySet() + "\n" + USAGE);
        }
        if (!options.then.isEmpty() && options.sequential > 0) {
            throw new IllegalArgumentException("--then needs --rate, not --sequential\n" + USAGE);
        }
        if ((options.rate > 0) == (options.sequential > 0)) {
            throw new IllegalArgumentException("give either --rate (> 0) or --sequential (> 0)\n" + USAGE);
        }
        if (options.timeout.isZero() || options.timeout.toSeconds() > 60) {
            throw new IllegalArgumentException("--timeout " + options.timeout + ": must be above 0 and at most 60s"
                    + " (the histogram's range)");
        }
        if (options.maxConnections < 1 || options.users < 1 || options.clockTicks < 1) {
            throw new IllegalArgumentException("--max-connections, --users and --clk-tck must be at least 1");
        }
        return options;
    }

    private static String required(Map<String, String> flags, String name) {
        String value = flags.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        }
        return value;
    }

    // Load goes to this machine only: anything but 127.0.0.1 is refused.
    private static URI url(String value) {
        URI uri;
        try {
            uri = new URI(value.replace("{n}", "0"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url " + value + ": not a URL (" + e.getReason() + ")");
        }
        if (!"http".equals(uri.getScheme()) || !"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("--url " + value + ": only http://127.0.0.1 is allowed as a target");
        }
        return URI.create(value.replace("{n}", "%7Bn%7D"));
    }

    private static double number(Map<String, String> flags, String name, String fallback) {
        String value = flags.getOrDefault(name, fallback);
        flags.remove(name);
        try {
            double number = Double.parseDouble(value);
            if (number < 0 || Double.isNaN(number) || Double.isInfinite(number)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + value + ": not a number >= 0");
        }
    }

    private static boolean order(String value) {
        if (value == null || value.equals("cycle")) {
            return false;
        }
        if (value.equals("random")) {
            return true;
        }
        throw new IllegalArgumentException("--order " + value + ": use cycle or random");
    }

    // R:D,R:D,... as in 3600:30s,1800:20s
    private static List<Stage> stages(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Stage> stages = new ArrayList<>();
        for (String stage : value.split(",")) {
            String[] parts = stage.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--then " + value + ": expected rate:duration,... like 3600:30s,1800:20s");
            }
            Map<String, String> one = new HashMap<>(Map.of("rate", parts[0], "duration", parts[1]));
            double rate = number(one, "rate", "0");
            if (rate <= 0) {
                throw new IllegalArgumentException("--then " + value + ": every rate must be above 0");
            }
            stages.add(new Stage(rate, duration(one, "duration", "0s")));
        }
        return List.copyOf(stages);
    }

    /** Every measured stage: the first is --rate for --duration. */
    List<Stage> stages() {
        List<Stage> all = new ArrayList<>();
        all.add(new Stage(rate, duration));
        all.addAll(then);
        return all;
    }

    // 20s, 500ms or a bare number of seconds
    private static Duration duration(Map<String, String> flags, String name, String fallback) {
        String value = flags.getOrDefault(name, fallback);
        flags.remove(name);
        try {
            Duration duration = value.endsWith("ms")
                    ? Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)))
                    : Duration.ofSeconds(Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value));
            if (duration.isNegative()) {
                throw new NumberFormatException();
            }
            return duration;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + value + ": not a duration like 20s or 500ms");
        }
    }

    /** The request target (path and query) of request {@code i}. */
    String target(long i) {
        String path = (url.getRawPath().isEmpty() ? "/" : url.getRawPath()) + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        long user = randomUsers ? Math.floorMod(mix(i), (long) users) : i % users;
        return path.replace("%7Bn%7D", Long.toString(user + 1));
    }

    // SplitMix64's finaliser: request i always asks for the same user, whatever the run
    private static long mix(long i) {
        long z = (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
