package io.oasis.endpoint;

import java.util.Map;

/**
 * An RFC 9457 problem: {@code type} is {@code urn:oasis:problem:<slug>}, {@code extra} adds members such as the
 * offending parameter or the parts manifest.
 */
public record Problem(int status, String slug, String title, String detail, Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem badParameter(String parameter, String detail) {
        return new Problem(400, "invalid-parameter", "Invalid request parameter", detail,
                Map.of("parameter", parameter));
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "bad-request", "Bad request", detail, Map.of());
    }

    public String type() {
        return "urn:oasis:problem:" + slug;
    }
}
