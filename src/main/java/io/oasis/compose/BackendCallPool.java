package io.oasis.compose;

import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.oasis.VirtualThreads;
import io.oasis.config.ConfigurationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The threads of blocking backends ({@code sql:}, {@code jms:} request-reply, a blocking bean), bound in Camel's
 * registry as {@code backendCalls}: a branch starts with {@code threads: {executorService: backendCalls}} so that
 * its wait does not hold the request's thread (on which the fan-out starts the other branches), and a
 * {@code circuitBreaker} runs its timed-out task there ({@code timeoutExecutorService: backendCalls}), never on the
 * JDK's common pool. A virtual thread per call on JDK 21+.
 */
@Component
public class BackendCallPool extends RegistryExecutor {

    public static final String NAME = "backendCalls";

    public BackendCallPool(@Value("${oasis.backend-calls.threads:32}") int threads,
                           @Value("${oasis.backend-calls.queue:256}") int queue, MeterRegistry registry) {
        super(NAME, pool(threads, queue));
        new ExecutorServiceMetrics(executor(), NAME, List.of()).bindTo(registry);
    }

    private static ExecutorService pool(int threads, int queue) {
        if (threads < 1 || queue < 1) {
            throw new ConfigurationException("oasis.backend-calls." + (threads < 1 ? "threads" : "queue"),
                    threads < 1 ? threads : queue, "must be at least 1",
                    "Size it for the blocking calls in flight at peak, twice over when a circuitBreaker times them.");
        }
        return VirtualThreads.executor("oasis-backend-calls", threads, queue);
    }
}
