package io.oasis.testkit;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on an endpoint's answer and its manifest of parts, for the tests of any endpoint route:
 * <pre>{@code
 * assertThatAnswer(get("/api/dashboard?userId=42")).isOk().isDegradedIn("orders")
 *         .hasPartStatus("orders", "default").hasPartReasonContaining("orders", "upstream answered 503");
 * }</pre>
 * The body is parsed once; {@link #body()} gives it for what the kit does not say.
 */
public final class AnswerAssert extends AbstractAssert<AnswerAssert, HttpResponse<String>> {

    /** A part that is fresh or from cache: whatever else it is, it is degraded. */
    private static final List<String> WHOLE = List.of("ok", "cached");

    private JsonNode body;

    private AnswerAssert(HttpResponse<String> answer) {
        super(answer, AnswerAssert.class);
    }

    public static AnswerAssert assertThatAnswer(HttpResponse<String> answer) {
        return new AnswerAssert(answer);
    }

    /** The parsed body. */
    public JsonNode body() {
        if (body == null) {
            body = Http.json(actual);
        }
        return body;
    }

    /** 200 with a JSON body. */
    public AnswerAssert isOk() {
        isNotNull();
        Assertions.assertThat(actual.statusCode()).as("status of %s", actual.body()).isEqualTo(200);
        Assertions.assertThat(actual.headers().firstValue("Content-Type")).hasValue("application/json");
        return this;
    }

    /** Exactly these parts, each in the body (never null) and in the manifest. */
    public AnswerAssert hasParts(String... parts) {
        Assertions.assertThat(manifest().keySet()).as("parts in the manifest").containsExactlyInAnyOrder(parts);
        for (String part : parts) {
            Assertions.assertThat(body().path(part).isMissingNode() || body().path(part).isNull())
                    .as("part %s in the body", part).isFalse();
        }
        return this;
    }

    /** Every part fresh or from cache, and no Oasis-Degraded header. */
    public AnswerAssert isComplete() {
        return isDegradedIn();
    }

    /**
     * Exactly these parts are neither fresh nor from cache (default, stale, failed, skipped), and the Oasis-Degraded
     * header names them, in the manifest's order.
     */
    public AnswerAssert isDegradedIn(String... parts) {
        List<String> degraded = new ArrayList<>();
        manifest().forEach((part, entry) -> {
            if (!WHOLE.contains(entry.path("status").asText())) {
                degraded.add(part);
            }
        });
        Assertions.assertThat(degraded).as("degraded parts in the manifest %s", body().path("_meta"))
                .containsExactlyInAnyOrder(parts);
        if (parts.length == 0) {
            Assertions.assertThat(actual.headers().firstValue("Oasis-Degraded")).as("Oasis-Degraded").isEmpty();
        } else {
            Assertions.assertThat(actual.headers().firstValue("Oasis-Degraded")).as("Oasis-Degraded")
                    .hasValueSatisfying(v -> Assertions.assertThat(Arrays.asList(v.split(",\\s*")))
                            .containsExactlyInAnyOrder(parts));
        }
        return this;
    }

    /** The part's status in the manifest: ok, cached, stale, default, failed or skipped. */
    public AnswerAssert hasPartStatus(String part, String status) {
        Assertions.assertThat(entry(part).path("status").asText()).as("status of part %s", part).isEqualTo(status);
        return this;
    }

    /** The reason the manifest gives for a part that is not ok. */
    public AnswerAssert hasPartReasonContaining(String part, String reason) {
        Assertions.assertThat(entry(part).path("reason").asText()).as("reason of part %s", part).contains(reason);
        return this;
    }

    /** An answer refused or failed as application/problem+json with this status and type. */
    public AnswerAssert isProblem(int status, String type) {
        isNotNull();
        Assertions.assertThat(actual.statusCode()).as("status of %s", actual.body()).isEqualTo(status);
        Assertions.assertThat(actual.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Assertions.assertThat(body().path("type").asText()).isEqualTo(type);
        Assertions.assertThat(body().path("status").asInt()).isEqualTo(status);
        return this;
    }

    private JsonNode entry(String part) {
        JsonNode entry = manifest().get(part);
        Assertions.assertThat(entry).as("part %s in the manifest %s", part, body().path("_meta")).isNotNull();
        return entry;
    }

    private Map<String, JsonNode> manifest() {
        isNotNull();
        Map<String, JsonNode> parts = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = body().path("_meta").path("parts").fields();
        fields.forEachRemaining(e -> parts.put(e.getKey(), e.getValue()));
        return parts;
    }
}
