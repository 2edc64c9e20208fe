package io.oasis.endpoint;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import static org.apache.coyote.Constants.STAGE_ENDED;
import static org.apache.coyote.Constants.STAGE_KEEPALIVE;
import static org.apache.coyote.Constants.STAGE_NEW;
import static org.apache.coyote.Constants.STAGE_PARSE;

/**
 * A deadline for a request's head, the request line and headers together ({@code oasis.request-limits.head-timeout}):
 * a client that has not sent all of it in time is disconnected and counted. Written here because Tomcat has none:
 * its connection-timeout is per read, so a client sending a byte every few seconds holds its connection for hours
 * (nginx has client_header_timeout, Undertow REQUEST_PARSE_TIMEOUT). Twice a second it looks at Tomcat's open
 * connections and closes those still reading a head older than the deadline; no request thread is involved.
 */
@Configuration
public class SlowClients implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);

    private final Duration deadline;
    private final Counter cut;
    private ScheduledExecutorService sweeper;

    public SlowClients(RequestLimits.Settings limits, MeterRegistry registry) {
        this.deadline = limits.headTimeout();
        this.cut = Counter.builder(OasisMetrics.REQUESTS_REFUSED).tag(OasisMetrics.TAG_REASON, "slow-head")
                .description("requests refused for their size").register(registry);
    }

    /** Tomcat's NIO protocol, with its open connections in reach. */
    public static class HeadDeadlineProtocol extends Http11NioProtocol {

        Iterable<? extends SocketWrapperBase<?>> connections() {
            return getEndpoint().getConnections();
        }
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> headDeadlineProtocol() {
        return factory -> factory.setProtocol(HeadDeadlineProtocol.class.getName());
    }

    @EventListener
    public void watch(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer tomcat)
                || !(tomcat.getTomcat().getConnector().getProtocolHandler() instanceof HeadDeadlineProtocol protocol)) {
            return;
        }
        CustomizableThreadFactory threads = new CustomizableThreadFactory("oasis-slow-clients-");
        threads.setDaemon(true);
        sweeper = Executors.newSingleThreadScheduledExecutor(threads);
        sweeper.scheduleWithFixedDelay(() -> sweep(protocol), 500, 500, TimeUnit.MILLISECONDS);
    }

    private void sweep(HeadDeadlineProtocol protocol) {
        try {
            long now = System.nanoTime();
            for (SocketWrapperBase<?> connection : protocol.connections()) {
                if (connection.getCurrentProcessor() instanceof AbstractProcessor processor) {
                    Request request = processor.getRequest();
                    long start = request.getStartTimeNanos();
                    // a request in service is async (the endpoints) or on a thread (prepare to end of output): only
                    // a head still being read is neither
                    int stage = request.getRequestProcessor().getStage();
                    if (!processor.isAsync() && (stage == STAGE_NEW || stage == STAGE_PARSE || stage == STAGE_KEEPALIVE
                            || stage == STAGE_ENDED) && start > 0 && now - start > deadline.toNanos()) {
                        cut.increment();
                        connection.close();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not look for slow clients", e);
        }
    }

    @Override
    public void destroy() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
