package io.oasis.compose;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.fan-out}: the pool that starts an endpoint's parallel branches (multicast executorService: fanOut).
 * A branch only prepares its call and hands it to the non-blocking client, so a few threads start thousands of
 * calls a second; on JDK 21+ each branch gets a virtual thread instead.
 *
 * @param threads platform threads (JDK 17)
 * @param queue   branches waiting for a thread; beyond it the request fails fast rather than queueing without bound
 */
@ConfigurationProperties("oasis.fan-out")
public record FanOutProperties(@DefaultValue("16") int threads, @DefaultValue("10000") int queue) {
}
