package io.oasis.demo;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link DemoServer} inside Oasis under the demo profile. With {@code oasis.demo.embedded=false} the demo
 * profile still points the upstreams at the demo port, for a demo server run apart ({@link DemoServerMain}), as the
 * benchmark does to measure Oasis' CPU alone.
 */
@Component
@Profile("demo")
@ConditionalOnProperty(name = "oasis.demo.embedded", havingValue = "true", matchIfMissing = true)
public class DemoUpstreams implements DisposableBean {

    private final DemoServer server;

    public DemoUpstreams(DemoProperties properties) throws InterruptedException {
        this.server = new DemoServer(properties);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void destroy() {
        server.close();
    }
}
