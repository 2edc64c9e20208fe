package io.oasis.compose;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FanOutPoolTest {

    @Test
    void executor_noThreads_startsBranchesOnTheCallingThread() throws Exception {
        ExecutorService executor = FanOutPool.executor(new FanOutProperties(0, 10000));
        CompletableFuture<Thread> ran = new CompletableFuture<>();

        executor.submit(() -> ran.complete(Thread.currentThread()));

        assertThat(ran.getNow(null)).isSameAs(Thread.currentThread());
    }

    @Test
    void executor_threads_startsBranchesOnItsPool() throws Exception {
        ExecutorService executor = FanOutPool.executor(new FanOutProperties(2, 10));
        try {
            CompletableFuture<String> ran = new CompletableFuture<>();

            executor.submit(() -> ran.complete(Thread.currentThread().getName()));

            assertThat(ran.get(5, TimeUnit.SECONDS)).startsWith("oasis-fan-out");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void pool_threads_publishesExecutorMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        FanOutPool pool = new FanOutPool(new FanOutProperties(2, 10), registry);

        assertThat(registry.find("executor.pool.max").tag("name", FanOutPool.NAME).gauge()).isNotNull();
        pool.destroy();
    }

    @Test
    void executor_negativeThreads_failsNamingTheKey() {
        assertThatThrownBy(() -> FanOutPool.executor(new FanOutProperties(-1, 10)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("oasis.fan-out.threads");
    }
}
