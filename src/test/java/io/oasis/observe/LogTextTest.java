package io.oasis.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void line_withLineBreaks_escapesThemOnOneLine() {
        assertThat(LogText.line("price change\n2026-12-04 INFO fake line\r\n", 100))
                .isEqualTo("price change\\n2026-12-04 INFO fake line\\r\\n");
    }

    @Test
    void line_withOtherControlCharacters_escapesThem() {
        assertThat(LogText.line("a\u001b[31mred\u2028b", 100)).isEqualTo("a\\u001b[31mred\\u2028b");
    }

    @Test
    void line_longerThanTheMax_isCut() {
        assertThat(LogText.line("x".repeat(500), 10)).isEqualTo("xxxxxxxxxx...");
    }

    @Test
    void line_plainAndShort_isTheSameString() {
        String plain = "price change";
        assertThat(LogText.line(plain, 100)).isSameAs(plain);
        assertThat(LogText.line(null, 100)).isNull();
    }
}
