package io.oasis.upstream.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.config.ConfigurationException;
import io.oasis.upstream.UrlTemplate;

/** The options every part has, whatever reaches it: its name and the JSON that stands in when it fails. */
final class PartOptions {

    private PartOptions() {
    }

    /** A part is the key of its JSON in the answer. */
    static void checkName(String where, String part) {
        if (part == null || !part.matches("[a-z][A-Za-z0-9]*") || part.equals(UrlTemplate.Placeholder.CALLER)) {
            throw new ConfigurationException(where + " part", part,
                    "a part is the key of its JSON in the answer: a letter, then letters and digits, not 'caller'",
                    "Name it in camelCase, e.g. tierRecommendations.");
        }
    }

    /** The default's JSON: required for policy default, never null data. */
    static JsonNode fallback(String where, String text, ObjectMapper json) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException(where + " default", null,
                    "policy default needs the JSON that stands in for the part",
                    "Add e.g. default: '[]' or default: '{\"items\": []}'.");
        }
        JsonNode fallback;
        try {
            fallback = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(where + " default", text, "not valid JSON",
                    "Quote it in YAML, e.g. default: '[]'.");
        }
        if (fallback.isNull()) {
            throw new ConfigurationException(where + " default", text,
                    "a default of null would answer null data", "Give an empty value of the part's shape, e.g. '[]'.");
        }
        return fallback;
    }
}
