package io.oasis.compose;

import java.util.concurrent.ExecutorService;

import io.oasis.VirtualThreads;
import io.oasis.config.ConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
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
        if (properties.threads() < 1) {
            throw new ConfigurationException("oasis.fan-out.threads", properties.threads(), "must be at least 1",
                    "A branch holds a thread only while it starts its call: 2 to 4 per core is plenty.");
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
