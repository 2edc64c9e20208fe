package io.oasis.compose;

import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.oasis.VirtualThreads;
import io.oasis.config.ConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Binds the fan-out executor into Camel's registry as {@code fanOut}: the request's own thread, or a pool (see
 * {@link FanOutProperties}). Not a Spring Executor bean on purpose: platform-http picks its request executor from
 * the Spring Executor beans.
 */
@Component
public class FanOutPool implements CamelContextConfiguration, DisposableBean {

    public static final String NAME = "fanOut";

    private final ExecutorService executor;

    public FanOutPool(FanOutProperties properties, MeterRegistry registry) {
        executor = executor(properties);
        if (properties.threads() > 0) {
            new ExecutorServiceMetrics(executor, NAME, List.of()).bindTo(registry);
        }
    }

    static ExecutorService executor(FanOutProperties properties) {
        if (properties.threads() < 0) {
            throw new ConfigurationException("oasis.fan-out.threads", properties.threads(), "must be 0 or more",
                    "Use 0 (the request's thread) unless a branch blocks; then 2 to 4 per core.");
        }
        if (properties.threads() == 0) {
            return new SynchronousExecutorService();
        }
        if (properties.queue() < 1) {
            throw new ConfigurationException("oasis.fan-out.queue", properties.queue(), "must be at least 1",
                    "Allow a second's worth of branches, e.g. 10000.");
        }
        return VirtualThreads.executor("oasis-fan-out", properties.threads(), properties.queue());
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getRegistry().bind(NAME, ExecutorService.class, executor);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing: the executor is bound before the routes that use it are created
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
