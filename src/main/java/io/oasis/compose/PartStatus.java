package io.oasis.compose;

/** What became of one part of an answer; the manifest reports it in lower case. */
public enum PartStatus {
    /** The upstream answered with JSON. */
    OK,
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
}
