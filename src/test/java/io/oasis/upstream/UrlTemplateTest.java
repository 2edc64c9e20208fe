package io.oasis.upstream;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrlTemplateTest {

    private static String expand(UrlTemplate template, Map<String, String> values) {
        return template.expand("/base", p -> values.get(p.name()));
    }

    @Test
    void expand_plainValues_fillsPathAndQueryAfterTheBasePath() {
        UrlTemplate t = UrlTemplate.parse("/users/{userId}/orders", "limit=5&from={from}");

        assertThat(expand(t, Map.of("userId", "42", "from", "2026-01-01"))).isEqualTo("/base/users/42/orders?limit=5&from=2026-01-01");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "../admin      | ..%2Fadmin",
        "1?x=y         | 1%3Fx%3Dy",
        "a/b#c         | a%2Fb%23c",
        "..            | %2E%2E",
        ".             | %2E",
        "%2e%2e        | %252e%252e",
        "a b+c         | a%20b%2Bc",
        "é             | %C3%A9"})
    void expand_hostileValue_staysInsideItsPathSegment(String value, String encoded) {
        UrlTemplate t = UrlTemplate.parse("/users/{id}/x", null);

        assertThat(expand(t, Map.of("id", value.trim()))).isEqualTo("/base/users/" + encoded.trim() + "/x");
    }

    @Test
    void expand_hostileQueryValue_cannotAddAParameter() {
        UrlTemplate t = UrlTemplate.parse("/s", "q={q}&fixed=1");

        assertThat(expand(t, Map.of("q", "x&fixed=2#frag"))).isEqualTo("/base/s?q=x%26fixed%3D2%23frag&fixed=1");
    }

    @Test
    void expand_missingValue_returnsNull() {
        assertThat(expand(UrlTemplate.parse("/users/{id}", null), Map.of())).isNull();
    }

    @Test
    void dependencies_partPlaceholders_nameTheirParts() {
        UrlTemplate t = UrlTemplate.parse("/tiers/{loyalty.tier}", "user={userId}&seg={profile.segment.name}");

        assertThat(t.dependencies()).containsExactly("loyalty", "profile");
        assertThat(t.placeholders()).extracting(UrlTemplate.Placeholder::name)
                .containsExactly("loyalty.tier", "userId", "profile.segment.name");
        assertThat(t.placeholders().get(2).fields()).containsExactly("segment", "name");
    }

    @ParameterizedTest(name = "{0} ? {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "users/{id}       | -       | must start with '/'",
        "/users?x=1       | -       | a query goes in the query parameter",
        "/users/{id       | -       | malformed placeholder",
        "/users/{1id}     | -       | malformed placeholder",
        "/users/#frag     | -       | cannot carry",
        "/users           | a=b c   | cannot carry",
        "/users           | a={b    | malformed placeholder"})
    void parse_malformedTemplate_isRefusedWithTheReason(String path, String query, String reason) {
        assertThatThrownBy(() -> UrlTemplate.parse(path.trim(), query == null ? null : query.trim()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason.trim());
    }
}
