package io.oasis.endpoint;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpBinding;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConstants;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.http.common.HttpHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform-http route's consumer that {@link EndpointDispatch} runs straight from the servlet filter chain: the
 * route starts on the container thread and, its calls being non-blocking, finishes on whichever thread completes
 * the last of them, which writes the answer and completes the request. Camel's own consumer goes through Spring
 * MVC twice per request (dispatch, then an async re-dispatch to write the answer) and parks an executor thread for
 * the whole request: a quarter of the CPU of a dashboard (1.07 -> 0.79 ms, docs/performance.md). Paths Oasis cannot
 * serve this way (templates, other methods) still reach the route through Spring MVC, as this class's parent.
 */
public final class EndpointConsumer extends SpringBootPlatformHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointConsumer.class);

    private final EndpointDispatch dispatch;
    private final SpringBootPlatformHttpBinding binding = new SpringBootPlatformHttpBinding();
    private final Set<String> methods;

    EndpointConsumer(PlatformHttpEndpoint endpoint, Processor processor, Executor executor, EndpointDispatch dispatch) {
        super(endpoint, processor, executor);
        this.dispatch = dispatch;
        // the binding Camel's consumer builds for itself, which it keeps private
        binding.setHeaderFilterStrategy(endpoint.getHeaderFilterStrategy());
        binding.setMuteException(endpoint.isMuteException());
        binding.setFileNameExtWhitelist(endpoint.getFileNameExtWhitelist());
        binding.setUseReaderForPayload(!endpoint.isUseStreaming());
        String restrict = endpoint.getHttpMethodRestrict();
        methods = restrict == null || restrict.isBlank() ? Set.of()
                : Set.of(restrict.toUpperCase(Locale.ROOT).split("\\s*,\\s*"));
    }

    /**
     * The path this route answers on, when Oasis can match it exactly: no {placeholders}, no prefix matching, no
     * cookie handler (those stay with Camel's own consumer).
     */
    String exactPath() {
        String path = getEndpoint().getPath();
        return getEndpoint().isMatchOnUriPrefix() || getEndpoint().isUseCookieHandler() || path.indexOf('{') >= 0
                ? null : path;
    }

    boolean accepts(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /**
     * Starts the route for this request, once its body (if any) has arrived: read without holding a thread, so a
     * client dripping its body holds none. The answer is written when the route completes, on the thread that does.
     */
    void serve(HttpServletRequest request, HttpServletResponse response, Runnable finished, int maxBody) {
        AsyncContext async = request.startAsync();
        if (request.getContentLengthLong() <= 0) {
            start(request, response, async, finished, null);
            return;
        }
        try {
            AsyncBody.read(request, maxBody, body -> start(request, response, async, finished, body), error -> {
                // the client went away or was cut at the body deadline: no route ran, nothing to answer
                LOG.debug("{}: the request's body did not arrive: {}", getEndpoint().getPath(), error.toString());
                finished.run();
                try {
                    async.complete();
                } catch (IllegalStateException ended) {
                    // the container ended it already
                }
            });
        } catch (IOException e) {
            finished.run();
            async.complete();
        }
    }

    /**
     * A route Spring MVC serves (placeholders, prefix matching) takes its place in service like the others, or is
     * refused with the same 503.
     */
    @Override
    public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
        if (!dispatch.enter()) {
            try {
                dispatch.refuse(request, response);
            } catch (IOException e) {
                LOG.debug("{}: the client left before its refusal: {}", getEndpoint().getPath(), e.toString());
            }
            return CompletableFuture.completedFuture(null);
        }
        try {
            return super.service(request, response).whenComplete((done, error) -> dispatch.leave());
        } catch (RuntimeException e) {
            dispatch.leave();
            throw e;
        }
    }

    private void start(HttpServletRequest request, HttpServletResponse response, AsyncContext async,
                       Runnable finished, byte[] body) {
        InService service = new InService(async, response, createExchange(true), finished);
        Exchange exchange = service.exchange;
        exchange.setPattern(ExchangePattern.InOut);
        try {
            HttpHelper.setCharsetFromContentType(request.getContentType(), exchange);
            PlatformHttpMessage message = new PlatformHttpMessage(request, response, exchange, binding, false);
            exchange.setIn(message);
            message.init(exchange, binding, request, response);
            message.setHeader(SpringBootPlatformHttpConstants.CONTEXT_PATH, getEndpoint().getPath());
            if (body != null) {
                message.setBody(body);
            }
            createUoW(exchange);
            getAsyncProcessor().process(exchange, service);
        } catch (Exception e) {
            // the routing engine hands its failures to the callback: this is one before it or thrown past it
            exchange.setException(e);
            service.done(true);
        }
    }

    /**
     * One request between the start of its route and its answer; done once, whoever calls (its own flag: one object
     * per request, not two).
     */
    private final class InService extends AtomicBoolean implements AsyncCallback {
        final AsyncContext async;
        final HttpServletResponse response;
        final Exchange exchange;
        final Runnable finished;

        InService(AsyncContext async, HttpServletResponse response, Exchange exchange, Runnable finished) {
            this.async = async;
            this.response = response;
            this.exchange = exchange;
            this.finished = finished;
        }

        @Override
        public void done(boolean doneSync) {
            if (!compareAndSet(false, true)) {
                return;
            }
            // out of service before the answer leaves: a client that has read a whole answer (its length known) may
            // send the next request before async.complete() returns, and must find the place free
            finished.run();
            try {
                binding.writeResponse(exchange, response);
            } catch (IOException e) {
                // Tomcat's ClientAbortException: the connection was closed or reset before the answer was written
                LOG.debug("{}: the client left before its answer: {}", getEndpoint().getPath(), e.toString());
            } catch (Exception e) {
                LOG.warn("{}: writing the answer failed: {}", getEndpoint().getPath(), e.toString());
                sendErrorIfUncommitted();
            } finally {
                try {
                    doneUoW(exchange);
                    releaseExchange(exchange, false);
                } finally {
                    complete();
                }
            }
        }

        private void sendErrorIfUncommitted() {
            try {
                if (!response.isCommitted()) {
                    response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                }
            } catch (IOException | IllegalStateException e) {
                LOG.debug("{}: no error answer either: {}", getEndpoint().getPath(), e.toString());
            }
        }

        /**
         * Ends the request. The container may have ended it already, when its client went away (a closed tab, a
         * load balancer's timeout): nothing is left to answer then, which is no error of Oasis'.
         */
        private void complete() {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                LOG.debug("{}: the request had ended before its answer: {}", getEndpoint().getPath(), e.getMessage());
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        dispatch.add(this);
    }

    @Override
    protected void doStop() throws Exception {
        dispatch.remove(this);
        super.doStop();
    }
}
