package io.oasis.upstream;

/** What became of one part of an answer; the manifest reports it in lower case. */
public enum PartStatus {
    /** The upstream answered with JSON. */
    OK,
    /** Answered from the cache within its ttl, or within stale-while-revalidate while it is refreshed. */
    CACHED,
    /** The call failed and a cached value within stale-if-error stands in (policy stale). */
    STALE,
    /** The call failed and the part's declared default stands in. */
    DEFAULT,
    /** The call failed and nothing stands in. */
    FAILED,
    /** Not attempted: a part it depends on did not succeed. */
    SKIPPED;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }

    /** Fresh from the upstream or from the cache: not named as degraded. */
    public boolean fresh() {
        return this == OK || this == CACHED;
    }
}
