package io.oasis.cache;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlightTest {

    @Test
    void flight_landedTwice_waitersGetTheFirstResultOnceAndLateJoinersToo() {
        Flight<String> flight = new Flight<>();
        List<String> got = new ArrayList<>();
        flight.join(got::add);

        flight.complete("answer");
        flight.complete("aborted");

        assertThat(got).containsExactly("answer");
        assertThat(flight.result()).isEqualTo("answer");
        assertThat(flight.join(got::add)).isFalse();
    }
}
