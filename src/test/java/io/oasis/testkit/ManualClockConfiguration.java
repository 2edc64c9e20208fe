package io.oasis.testkit;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Puts a {@link ManualClock} in place of the caches' wall clock: {@code @Import(ManualClockConfiguration.class)}. */
@TestConfiguration
public class ManualClockConfiguration {

    @Bean
    @Primary
    ManualClock manualClock() {
        return new ManualClock();
    }
}
