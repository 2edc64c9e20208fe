package io.oasis.upstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A call's path and query, e.g. {@code /users/{userId}/orders} and {@code limit=5&tier={loyalty.tier}}, parsed once
 * at startup. Values are percent-encoded on expansion, so no value can add a path segment, a query parameter or a
 * fragment, and {@code .} or {@code ..} cannot climb the path: the host and the shape of the URL are fixed here.
 */
public final class UrlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*)}");
    private static final Pattern LITERAL_PATH = Pattern.compile("[A-Za-z0-9\\-._~/!$&'()*+,;=:@%]*");
    private static final Pattern LITERAL_QUERY = Pattern.compile("[A-Za-z0-9\\-._~!$'()*+,;:@/?%=&]*");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * A {name} in the template: an endpoint parameter, {part.field.field} from an earlier call's JSON, or
     * {caller.claim} from the caller's validated token.
     */
    public record Placeholder(String name, String part, List<String> fields) {

        /** The pseudo-part of the caller's claims: {caller.sub}, {caller.segment}. */
        public static final String CALLER = "caller";

        public static Placeholder parse(String text) {
            int dot = text.indexOf('.');
            if (dot < 0) {
                return new Placeholder(text, null, List.of());
            }
            return new Placeholder(text, text.substring(0, dot), List.of(text.substring(dot + 1).split("\\.")));
        }

        public boolean fromPart() {
            return part != null && !part.equals(CALLER);
        }

        public boolean fromCaller() {
            return CALLER.equals(part);
        }
    }

    private sealed interface Piece permits Literal, Value {
    }

    private record Literal(String text) implements Piece {
    }

    private record Value(Placeholder placeholder) implements Piece {
    }

    private final List<Piece> path;
    private final List<Piece> query;
    private final List<Placeholder> placeholders;

    private UrlTemplate(List<Piece> path, List<Piece> query) {
        this.path = path;
        this.query = query;
        List<Placeholder> all = new ArrayList<>();
        for (List<Piece> pieces : List.of(path, query)) {
            for (Piece piece : pieces) {
                if (piece instanceof Value v) {
                    all.add(v.placeholder());
                }
            }
        }
        this.placeholders = List.copyOf(all);
    }

    /**
     * @param path  starts with '/', e.g. {@code /users/{userId}}
     * @param query without '?', e.g. {@code limit=5&segment={segment}}; empty for none
     * @throws IllegalArgumentException naming what is wrong
     */
    public static UrlTemplate parse(String path, String query) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with '/'");
        }
        List<Piece> pathPieces = pieces(path, LITERAL_PATH, "path");
        List<Piece> queryPieces = query == null || query.isEmpty() ? List.of() : pieces(query, LITERAL_QUERY, "query");
        return new UrlTemplate(pathPieces, queryPieces);
    }

    public List<Placeholder> placeholders() {
        return placeholders;
    }

    /** Names of the earlier parts this call needs: it is not attempted unless they all succeeded. */
    public Set<String> dependencies() {
        Set<String> parts = new LinkedHashSet<>();
        for (Placeholder p : placeholders) {
            if (p.fromPart()) {
                parts.add(p.part());
            }
        }
        return parts;
    }

    /**
     * The encoded path and query, or null when a value is missing.
     *
     * @param basePath already-encoded prefix from the upstream's base URL
     */
    public String expand(String basePath, Function<Placeholder, String> values) {
        StringBuilder out = new StringBuilder(basePath.length() + 64).append(basePath);
        if (!append(out, path, values, true)) {
            return null;
        }
        if (!query.isEmpty()) {
            out.append('?');
            if (!append(out, query, values, false)) {
                return null;
            }
        }
        return out.toString();
    }

    private static boolean append(StringBuilder out, List<Piece> pieces, Function<Placeholder, String> values,
                                  boolean inPath) {
        for (Piece piece : pieces) {
            if (piece instanceof Literal l) {
                out.append(l.text());
            } else {
                String value = values.apply(((Value) piece).placeholder());
                if (value == null) {
                    return false;
                }
                encode(out, value, inPath);
            }
        }
        return true;
    }

    /** Percent-encodes all but RFC 3986 unreserved characters; in a path, a value of "." or ".." too. */
    static void encode(StringBuilder out, String value, boolean inPath) {
        if (inPath && (value.equals(".") || value.equals(".."))) {
            out.append(value.equals(".") ? "%2E" : "%2E%2E");
            return;
        }
        if (inPath && value.isEmpty()) {
            return;
        }
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    private static List<Piece> pieces(String template, Pattern literal, String where) {
        List<Piece> pieces = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            addLiteral(pieces, template.substring(at, m.start()), literal, where);
            pieces.add(new Value(Placeholder.parse(m.group(1))));
            at = m.end();
        }
        addLiteral(pieces, template.substring(at), literal, where);
        return List.copyOf(pieces);
    }

    private static void addLiteral(List<Piece> pieces, String text, Pattern literal, String where) {
        if (text.isEmpty()) {
            return;
        }
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new IllegalArgumentException("malformed placeholder in the " + where + " near '" + text
                    + "': write {parameter} or {part.field}");
        }
        if (!literal.matcher(text).matches() || text.indexOf('#') >= 0 || "path".equals(where) && text.indexOf('?') >= 0) {
            throw new IllegalArgumentException("the " + where + " holds characters a URL cannot carry as written: '"
                    + text + "' (a query goes in the query parameter)");
        }
        pieces.add(new Literal(text));
    }
}
