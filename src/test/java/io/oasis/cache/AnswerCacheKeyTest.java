package io.oasis.cache;

import java.time.Instant;
import java.util.Map;

import io.oasis.endpoint.Caller;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerCacheKeyTest {

    private static Caller caller(String subject, String segment, long exp) {
        return new Caller(subject, Map.of("sub", subject, "segment", segment, "exp", Instant.ofEpochSecond(exp),
                "iat", Instant.ofEpochSecond(exp - 300), "jti", "t-" + exp), "token-" + exp);
    }

    private static String key(Caller caller) {
        return AnswerCache.key("whoami", Map.of("userId", "1"), Map.of(), caller);
    }

    @Test
    void key_twoCallers_differ() {
        assertThat(key(caller("101", "gold", 1000))).isNotEqualTo(key(caller("202", "gold", 1000)));
    }

    @Test
    void key_oneCallerWithAnotherClaimValue_differs() {
        assertThat(key(caller("101", "gold", 1000))).isNotEqualTo(key(caller("101", "silver", 1000)));
    }

    @Test
    void key_oneCallerWithTwoTokens_isTheSame() {
        assertThat(key(caller("101", "gold", 1000))).isEqualTo(key(caller("101", "gold", 2000)));
    }

    @Test
    void key_anonymousAndACaller_differ_andNoClaimOrTokenAppearsAsText() {
        String personal = key(caller("101", "gold", 1000));

        assertThat(key(Caller.ANONYMOUS)).isNotEqualTo(personal);
        assertThat(personal).doesNotContain("gold").doesNotContain("token-");
    }
}
