package io.oasis.alert;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This instance's meters sampled at each evaluation, kept as long as the longest window that reads them. Micrometer
 * meters only know totals since start; windows (the last 5 minutes, the last 30 days) need their past values, kept
 * here by hand because no library keeps an in-process history of Micrometer meters.
 * A series is a vector: one value for a counter or a gauge, count and cumulative bucket counts for a histogram.
 * Every sample of the last {@value #FINE_HOURS} hours is kept, so short windows (a 5-minute burn rate) stay exact;
 * older ones are thinned to about {@value #KEPT} over the retention (a 30-day budget: one per 22 minutes).
 */
public final class MetricHistory {

    static final int KEPT = 2000;
    static final int FINE_HOURS = 6;
    private static final long FINE_MILLIS = Duration.ofHours(FINE_HOURS).toMillis();

    private record Sample(long millis, double[] values) {
    }

    private static final class Series {
        private final Supplier<double[]> reader;
        private volatile long retentionMillis;
        /** Thinned samples older than the fine span, oldest first. */
        private final Deque<Sample> old = new ArrayDeque<>();
        /** Every sample of the fine span, oldest first. */
        private final Deque<Sample> recent = new ArrayDeque<>();

        Series(Supplier<double[]> reader, long retentionMillis) {
            this.reader = reader;
            this.retentionMillis = retentionMillis;
        }

        /** Oldest first; call holding the series' lock. */
        List<Sample> all() {
            List<Sample> all = new ArrayList<>(old.size() + recent.size());
            all.addAll(old);
            all.addAll(recent);
            return all;
        }
    }

    private final Map<String, Series> series = new ConcurrentHashMap<>();

    /** Starts keeping {@code id} for at least {@code retention}; tracking it again only lengthens the retention. */
    public void track(String id, Duration retention, Supplier<double[]> reader) {
        long millis = retention.toMillis();
        Series existing = series.putIfAbsent(id, new Series(reader, millis));
        if (existing != null && existing.retentionMillis < millis) {
            existing.retentionMillis = millis;
        }
    }

    /** Reads every series now. */
    public void sample(long nowMillis) {
        for (Series s : series.values()) {
            double[] values = s.reader.get();
            synchronized (s) {
                long retention = s.retentionMillis;
                long fine = Math.min(FINE_MILLIS, retention);
                long spacing = retention / KEPT;
                s.recent.addLast(new Sample(nowMillis, values));
                while (s.recent.size() > 1 && nowMillis - s.recent.peekFirst().millis() > fine) {
                    Sample leaving = s.recent.pollFirst();
                    Sample lastOld = s.old.peekLast();
                    if (lastOld == null || leaving.millis() - lastOld.millis() >= spacing) {
                        s.old.addLast(leaving);
                    }
                }
                // keep one sample older than the retention: a full window needs a start
                while (s.old.size() > 1) {
                    Iterator<Sample> it = s.old.iterator();
                    it.next();
                    if (nowMillis - it.next().millis() >= retention) {
                        s.old.pollFirst();
                    } else {
                        break;
                    }
                }
            }
        }
    }

    /** What the series grew by over the window ending at the last sample, and over how long it was seen. */
    public record Increase(double[] values, long millis) {
    }

    /**
     * The growth of a cumulative series over {@code window}: the last sample minus the last one at or before the
     * window's start (or the oldest, when this instance is younger than the window). Null before two samples.
     */
    public Increase increase(String id, Duration window) {
        Series s = series.get(id);
        if (s == null) {
            return null;
        }
        Sample last;
        Sample start = null;
        synchronized (s) {
            List<Sample> all = s.all();
            if (all.size() < 2) {
                return null;
            }
            last = all.get(all.size() - 1);
            long from = last.millis() - window.toMillis();
            for (Sample sample : all) {
                if (start == null || sample.millis() <= from) {
                    start = sample;
                } else {
                    break;
                }
            }
        }
        double[] now = last.values();
        double[] then = start.values();
        double[] delta = new double[now.length];
        for (int i = 0; i < now.length; i++) {
            // a series that had no meter yet (or fewer buckets) started from zero
            delta[i] = now[i] - (then.length == now.length ? then[i] : 0);
        }
        return new Increase(delta, last.millis() - start.millis());
    }

    /** The first value of every sample from {@code window} before the last sample up to it, oldest first. */
    public List<Double> values(String id, Duration window) {
        Series s = series.get(id);
        List<Double> values = new ArrayList<>();
        if (s == null) {
            return values;
        }
        synchronized (s) {
            Sample last = s.recent.peekLast();
            if (last == null) {
                return values;
            }
            long from = last.millis() - window.toMillis();
            for (Sample sample : s.all()) {
                if (sample.millis() >= from && sample.values().length > 0) {
                    values.add(sample.values()[0]);
                }
            }
        }
        return values;
    }

    /** How many samples a series keeps now. */
    int samples(String id) {
        Series s = series.get(id);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return s.old.size() + s.recent.size();
        }
    }
}
