package io.oasis.observe;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTrackerTest {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorTrackerTest.class);

    private final ErrorTracker tracker = new ErrorTracker();

    @BeforeEach
    void listen() {
        tracker.afterPropertiesSet();
    }

    @AfterEach
    void stopListening() {
        tracker.destroy();
    }

    private static void failAt(int line) {
        try {
            if (line == 1) {
                throw new IllegalStateException("first place");
            }
            throw new IllegalStateException("second place");
        } catch (IllegalStateException e) {
            LOG.error("boom at {}", line, e);
        }
    }

    @Test
    void groups_sameTypeAndPlace_countTogether_otherPlacesApart() {
        failAt(1);
        failAt(1);
        failAt(2);
        LOG.error("no exception: not tracked");
        LOG.warn("a warning with one: not tracked", new IllegalArgumentException());

        List<ErrorTracker.Group> groups = tracker.groups();

        assertThat(groups).hasSize(2);
        ErrorTracker.Group twice = groups.stream().filter(g -> g.count() == 2).findFirst().orElseThrow();
        assertThat(twice.type()).isEqualTo("java.lang.IllegalStateException");
        assertThat(twice.place()).startsWith("io.oasis.observe.ErrorTrackerTest.failAt:");
        assertThat(twice.lastMessage()).isEqualTo("boom at 1");
        assertThat(twice.lastStackTrace()).contains("first place").contains("ErrorTrackerTest.failAt");
        assertThat(twice.firstSeen()).isBeforeOrEqualTo(twice.lastSeen());
        assertThat(groups.get(0).lastMessage()).isEqualTo("boom at 2");
    }

    @Test
    void groups_manyPlaces_keepTheMostRecentWithinTheBound() {
        for (int i = 0; i < ErrorTracker.MAX_GROUPS + 10; i++) {
            LOG.error("distinct", new RuntimeException(new Error("e" + i)) {
                @Override
                public StackTraceElement[] getStackTrace() {
                    return new StackTraceElement[] {new StackTraceElement("x.Y" + getMessage(), "m", "Y.java", 1)};
                }
            });
        }

        assertThat(tracker.groups().size()).isLessThanOrEqualTo(ErrorTracker.MAX_GROUPS);
    }
}
