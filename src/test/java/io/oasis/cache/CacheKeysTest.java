package io.oasis.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cache keys hold what changes the answer, and never a credential as it was sent. */
class CacheKeysTest {

    private static final String TOKEN = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    @Test
    void key_ofACredentialHeader_holdsItsDigestNotTheCredential() {
        String key = CacheKeys.key("cart", "/me", new String[] {"authorization"}, new String[] {TOKEN});

        assertThat(key).startsWith("cart:/me|authorization=65:#").doesNotContain("eyJ");
    }

    @Test
    void key_twoCallersCredentials_areTwoKeys() {
        assertThat(CacheKeys.key("cart", "/me", new String[] {"authorization"}, new String[] {TOKEN}))
                .isNotEqualTo(CacheKeys.key("cart", "/me", new String[] {"authorization"}, new String[] {TOKEN + "x"}));
    }

    @Test
    void key_ofAnOrdinaryHeader_holdsItsValueLengthPrefixed() {
        assertThat(CacheKeys.key("profile", "/users/42", new String[] {"accept-language", "x-user-id"},
                new String[] {"de-CH", "alice"})).isEqualTo("profile:/users/42|accept-language=5:de-CH|x-user-id=5:alice");
    }
}
