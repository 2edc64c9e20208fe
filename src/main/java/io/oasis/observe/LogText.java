package io.oasis.observe;

/**
 * Text from outside (a caller's reason, a comment, an upstream's message) made safe for a plain-text log line:
 * line breaks and other control characters escaped, so that no one can write a line of their own into the log, and
 * cut at a length, so that no one can fill it.
 */
public final class LogText {

    private LogText() {
    }

    /** At most {@code max} characters of {@code text} on one line; null stays null. */
    public static String line(String text, int max) {
        if (text == null) {
            return null;
        }
        int end = Math.min(text.length(), max);
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(end + 8).append(text, 0, i);
                }
                out.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                        : String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        String shown = out == null ? text.substring(0, end) : out.toString();
        return text.length() > max ? shown + "..." : shown;
    }
}
