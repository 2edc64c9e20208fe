package io.oasis.compose;

import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.oasis.VirtualThreads;
import io.oasis.config.ConfigurationException;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.stereotype.Component;

/**
 * The fan-out executor, {@code fanOut} in Camel's registry: the request's own thread, or a pool (see
 * {@link FanOutProperties}).
 */
@Component
public class FanOutPool extends RegistryExecutor {

    public static final String NAME = "fanOut";

    public FanOutPool(FanOutProperties properties, MeterRegistry registry) {
        super(NAME, executor(properties));
        if (properties.threads() > 0) {
            new ExecutorServiceMetrics(executor(), NAME, List.of()).bindTo(registry);
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
}
