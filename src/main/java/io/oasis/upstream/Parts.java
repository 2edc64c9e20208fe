package io.oasis.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * The parts an exchange carries, in the order the routes declare them. Immutable: Camel copies exchange
 * properties shallowly into each branch of a multicast, so a branch adds its part to its own copy and never sees,
 * or changes, its siblings' parts; the aggregation strategy merges what each branch brought back.
 */
public final class Parts {

    /** The exchange property that carries them. */
    public static final String PROPERTY = "oasis.parts";
    public static final Parts NONE = new Parts(new PartResult[0]);

    private static final Comparator<PartResult> ORDER = Comparator.comparingInt(PartResult::order);

    private final PartResult[] parts;

    private Parts(PartResult[] parts) {
        this.parts = parts;
    }

    /** The parts this exchange carries; none before the first call. */
    public static Parts of(Exchange exchange) {
        Parts parts = exchange.getProperty(PROPERTY, Parts.class);
        return parts == null ? NONE : parts;
    }

    /** Adds a part to what the exchange carries. */
    public static void add(Exchange exchange, PartResult part) {
        exchange.setProperty(PROPERTY, of(exchange).with(part));
    }

    /** These parts and that one (replacing one of the same name). */
    public Parts with(PartResult part) {
        List<PartResult> list = new ArrayList<>(parts.length + 1);
        for (PartResult p : parts) {
            if (!p.name().equals(part.name())) {
                list.add(p);
            }
        }
        list.add(part);
        list.sort(ORDER);
        return new Parts(list.toArray(PartResult[]::new));
    }

    /** These parts and those: a part both have is taken from {@code other}, which arrived later. */
    public Parts merge(Parts other) {
        if (other == null || other == this || other.parts.length == 0) {
            return this;
        }
        if (parts.length == 0) {
            return other;
        }
        Map<String, PartResult> byName = new LinkedHashMap<>((parts.length + other.parts.length) * 2);
        for (PartResult p : parts) {
            byName.put(p.name(), p);
        }
        for (PartResult p : other.parts) {
            byName.put(p.name(), p);
        }
        PartResult[] merged = byName.values().toArray(PartResult[]::new);
        Arrays.sort(merged, ORDER);
        return new Parts(merged);
    }

    /** The part of that name, or null when it has not arrived (not called, or called in a parallel branch). */
    public PartResult get(String name) {
        for (PartResult p : parts) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    public List<PartResult> list() {
        return Arrays.asList(parts);
    }
}
