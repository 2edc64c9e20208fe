package io.oasis.compose;

import java.util.concurrent.ExecutorService;

import io.oasis.VirtualThreads;
import io.oasis.config.ConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Binds the fan-out executor into Camel's registry as {@code fanOut}. Not a Spring Executor bean on purpose:
 * platform-http picks its request executor from the Spring Executor beans.
 */
@Component
public class FanOutPool implements CamelContextConfiguration, DisposableBean {

    public static final String NAME = "fanOut";

    private final ExecutorService executor;

    public FanOutPool(FanOutProperties properties) {
        if (properties.threads() < 0) {
            throw new ConfigurationException("oasis.fan-out.threads", properties.threads(), "must not be negative",
                    "0 starts the branches on the request's own thread; a pool only pays off when branches block.");
        }
        if (properties.threads() == 0) {
            // every call is non-blocking: starting them one after the other on the thread at hand takes microseconds,
            // a hand-off to a pool per branch costs more than that (docs/performance.md)
            executor = new SynchronousExecutorService();
            return;
        }
        if (properties.queue() < 1) {
            throw new ConfigurationException("oasis.fan-out.queue", properties.queue(), "must be at least 1",
                    "Allow a second's worth of branches, e.g. 10000.");
        }
        executor = VirtualThreads.executor("oasis-fan-out", properties.threads(), properties.queue());
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getRegistry().bind(NAME, ExecutorService.class, executor);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing: the pool is bound before the routes that use it are created
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
