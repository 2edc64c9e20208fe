package io.oasis.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.ActionCode;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11Processor;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
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
 * A deadline for a request's head, the request line and headers together ({@code oasis.request-limits.head-timeout}),
 * and one for the whole request, its body included ({@code body-timeout}): a client that has not sent all of it in
 * time is disconnected and counted. The body deadline covers a body read by a handler and one Tomcat drains after
 * the answer alike: both hold a thread while the client drips. Written here because Tomcat has none:
 * its connection-timeout is per read, so a client sending a byte every few seconds holds its connection for hours
 * (nginx has client_header_timeout, Undertow REQUEST_PARSE_TIMEOUT). Twice a second it looks at Tomcat's open
 * connections and closes those still reading a head older than the deadline; no request thread is involved.
 */
@Configuration
public class SlowClients implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);
    /** a body still arriving this long after the request's first byte comes from a slow or dripping client */
    private static final long HONEST_IN_FLIGHT_NANOS = 1_000_000_000L;

    private final Duration deadline;
    private final Duration bodyDeadline;
    private final Counter cut;
    private final Counter bodyCut;
    private ScheduledExecutorService sweeper;

    public SlowClients(RequestLimits.Settings limits, MeterRegistry registry) {
        this.deadline = limits.headTimeout();
        this.bodyDeadline = limits.bodyTimeout();
        if (bodyDeadline.isNegative() || bodyDeadline.isZero()) {
            throw new io.oasis.config.ConfigurationException("oasis.request-limits.body-timeout",
                    bodyDeadline.toMillis() + "ms", "must be positive", "E.g. 10s.");
        }
        this.cut = Counter.builder(OasisMetrics.REQUESTS_REFUSED).tag(OasisMetrics.TAG_REASON, "slow-head")
                .description("requests refused for their size").register(registry);
        this.bodyCut = Counter.builder(OasisMetrics.REQUESTS_REFUSED).tag(OasisMetrics.TAG_REASON, "slow-body")
                .description("requests refused for their size").register(registry);
    }

    /**
     * Tomcat's NIO protocol, with its open connections in reach, and the connections whose request is on a thread:
     * Tomcat takes a processor off its connection while a thread runs it (a handler reading a body, Tomcat draining
     * one after the answer), so those are tracked here.
     */
    public static class HeadDeadlineProtocol extends Http11NioProtocol {

        /** the request this thread is processing, for a filter to reach Tomcat's side of it ({@link #abandonBody}) */
        private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

        private final Map<Http11Processor, SocketWrapperBase<?>> busy = new ConcurrentHashMap<>();

        Iterable<? extends SocketWrapperBase<?>> connections() {
            return getEndpoint().getConnections();
        }

        Map<Http11Processor, SocketWrapperBase<?>> busy() {
            return busy;
        }

        @Override
        protected Processor createProcessor() {
            return new Http11Processor(this, getAdapter()) {
                @Override
                public SocketState process(SocketWrapperBase<?> socket, SocketEvent status) throws IOException {
                    busy.put(this, socket);
                    CURRENT.set(getRequest());
                    try {
                        return super.process(socket, status);
                    } finally {
                        CURRENT.remove();
                        busy.remove(this);
                    }
                }
            };
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
                    if (start <= 0) {
                        continue;
                    }
                    if (!processor.isAsync() && (stage == STAGE_NEW || stage == STAGE_PARSE || stage == STAGE_KEEPALIVE
                            || stage == STAGE_ENDED) && now - start > deadline.toNanos()) {
                        cut.increment();
                        connection.close();
                    } else if (bodyOverdue(request, now)) {
                        bodyCut.increment();
                        connection.close();
                    }
                }
            }
            protocol.busy().forEach((processor, connection) -> {
                if (bodyOverdue(processor.getRequest(), now)) {
                    bodyCut.increment();
                    endInput(connection);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not look for slow clients", e);
        }
    }

    /**
     * For a request on this thread that leaves its body unread (refused, or answered without it): what has arrived
     * is skipped without waiting; if more is due, Tomcat is not to drain it after the answer, which would hold this
     * thread while a client drips it, but to close the connection once the answer is written. Closing with bytes
     * still coming can reset the connection under the answer, so an answer (as opposed to a refusal) gives the
     * client its first second: a body still arriving then is an honest one in flight, drained as usual, and a
     * drain is cut at the body deadline all the same. Nothing happens when the body was read whole or there is none.
     *
     * @param refusal the answer refuses the request for its body or for load: never drained
     */
    static void abandonBody(HttpServletRequest http, HttpServletResponse response, boolean refusal) {
        Request request = HeadDeadlineProtocol.CURRENT.get();
        if (request == null || !bodyStillArriving(request)) {
            return;
        }
        try {
            // what is here already is read, so that closing does not reset the connection under the answer
            InputStream in = http.getInputStream();
            for (int n = in.available(); n > 0 && bodyStillArriving(request); n = in.available()) {
                in.skipNBytes(n);
            }
        } catch (IOException | IllegalStateException e) {
            // read through a reader already, or the client is gone: nothing more to skip
        }
        boolean slow = System.nanoTime() - request.getStartTimeNanos() > HONEST_IN_FLIGHT_NANOS;
        if (bodyStillArriving(request) && (refusal || slow)) {
            try {
                // committed first: Tomcat would otherwise replace the answer with an error page for the closing
                response.flushBuffer();
            } catch (IOException e) {
                // the client is gone: closing is all that is left
            }
            request.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }

    /**
     * Ends the input of a connection whose thread waits in a blocking read: closing the socket would not wake that
     * thread before its read timeout, an end of input does (the poller sees it, the read fails, Tomcat closes).
     */
    private static void endInput(SocketWrapperBase<?> connection) {
        try {
            if (connection.getSocket() instanceof NioChannel channel) {
                channel.getIOChannel().shutdownInput();
                return;
            }
        } catch (IOException e) {
            // closed already: close() below is then a no-op
        }
        connection.close();
    }

    /**
     * A body past its deadline: read by a handler on a thread (stage SERVICE), drained after the answer (ENDINPUT),
     * or read without a thread (async, parked between reads in stage ENDED). A request still reading its head is the
     * head deadline's; one recycled between keep-alive requests has no body.
     */
    private boolean bodyOverdue(Request request, long now) {
        long start = request.getStartTimeNanos();
        int stage = request.getRequestProcessor().getStage();
        return start > 0 && stage != STAGE_NEW && stage != STAGE_PARSE && bodyStillArriving(request)
                && now - start > bodyDeadline.toNanos();
    }

    /**
     * Whether the request announced a body it has not sent whole. Tomcat counts what the application read; what it
     * drains itself after the answer is not counted, so a drained body reads as still arriving, which it is.
     */
    private static boolean bodyStillArriving(Request request) {
        long length = request.getContentLengthLong();
        return length > 0 && request.getBytesRead() < length;
    }

    @Override
    public void destroy() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
