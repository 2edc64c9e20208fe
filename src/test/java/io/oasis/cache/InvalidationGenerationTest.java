package io.oasis.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidationGenerationTest {

    @Test
    void compare_firstReading_onlySetsWhatIsKnown() {
        InvalidationGeneration generation = new InvalidationGeneration();

        assertThat(generation.compare("e1:7")).isNull();
        assertThat(generation.known()).isEqualTo("e1:7");
    }

    @Test
    void compare_countMovedOnUnheard_saysSo() {
        InvalidationGeneration generation = new InvalidationGeneration();
        generation.compare("e1:7");

        assertThat(generation.compare("e1:8")).contains("count is 8").contains("heard up to 7");
        assertThat(generation.compare("e1:8")).isNull();
    }

    @Test
    void compare_newEpoch_saysRedisLostItsData_evenAtTheSameCount() {
        InvalidationGeneration generation = new InvalidationGeneration();
        generation.compare("e1:1");

        assertThat(generation.compare("e2:1")).contains("lost its data");
        assertThat(generation.known()).isEqualTo("e2:1");
    }

    @Test
    void heardUpTo_inOrder_isNoGap_butASkippedCountIs() {
        InvalidationGeneration generation = new InvalidationGeneration();
        generation.compare("e1:3");

        assertThat(generation.heardUpTo(4)).isFalse();
        assertThat(generation.heardUpTo(6)).isTrue();
        assertThat(generation.compare("e1:6")).isNull();
    }

    @Test
    void compare_countBehindWhatWasHeard_isARaceNotALoss() {
        InvalidationGeneration generation = new InvalidationGeneration();
        generation.compare("e1:3");
        generation.heardUpTo(4);

        assertThat(generation.compare("e1:3")).isNull();
    }
}
