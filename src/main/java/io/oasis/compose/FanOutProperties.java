package io.oasis.compose;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.fan-out}: what starts an endpoint's parallel branches (multicast executorService: fanOut). A branch
 * of upstream calls only prepares its call and hands it to the non-blocking client, so by default (0 threads) the
 * branches start one after the other on the request's own thread, in microseconds each, and run at the same time on
 * the upstreams: a hand-off to a pool cost a tenth of a dashboard's CPU (docs/performance.md). A pool is for routes
 * whose branches block (a step that waits on a blocking component); on JDK 21+ it gives each branch a virtual thread.
 *
 * @param threads 0: on the request's thread; more: a pool of this many platform threads (JDK 17)
 * @param queue   with a pool, branches waiting for a thread; beyond it the request fails fast rather than queueing
 *                without bound
 */
@ConfigurationProperties("oasis.fan-out")
public record FanOutProperties(@DefaultValue("0") int threads, @DefaultValue("10000") int queue) {
}
