package io.oasis.compose;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.DisposableBean;

/**
 * An executor of Oasis' that routes name ({@code executorService: fanOut}), bound in Camel's registry before the
 * routes are created and shut down with the application. Not a Spring Executor bean on purpose: platform-http picks
 * its request executor from the Spring Executor beans.
 */
abstract class RegistryExecutor implements CamelContextConfiguration, DisposableBean {

    private final String name;
    private final ExecutorService executor;

    RegistryExecutor(String name, ExecutorService executor) {
        this.name = name;
        this.executor = executor;
    }

    ExecutorService executor() {
        return executor;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getRegistry().bind(name, ExecutorService.class, executor);
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
