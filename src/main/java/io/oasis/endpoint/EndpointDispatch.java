package io.oasis.endpoint;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.OasisMetrics;
import io.oasis.observe.RequestOutcome;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Serves the platform-http routes (the endpoints) from the servlet filter chain, without Spring MVC
 * ({@link EndpointConsumer}), and bounds how many requests are in service at once: beyond
 * {@code oasis.request-limits.max-in-flight} a request is answered 503 problem+json with Retry-After at once, so an
 * overload is refused as soon as a request is read instead of queueing until every answer is late. A request for another path,
 * or with a method the route does not take, goes on through the chain to Spring MVC; a route Spring MVC serves
 * (a path with placeholders, prefix matching) takes its place in service by the same bound.
 */
@Configuration
public class EndpointDispatch implements Filter {

    private final Map<String, EndpointConsumer> byPath = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** what a request does when its answer is written: one instance, not one per request */
    private final Runnable answered = inFlight::decrementAndGet;
    private final int maxInFlight;
    private final int maxBody;
    private final LoadShedding shedding;
    private final ProblemWriter problems;
    private final RequestOutcome outcomes;

    public EndpointDispatch(RequestLimits.Settings limits, LoadShedding shedding, ProblemWriter problems,
                            RequestOutcome outcomes, MeterRegistry registry) {
        if (limits.maxInFlight() < 1) {
            throw new ConfigurationException("oasis.request-limits.max-in-flight", limits.maxInFlight(),
                    "must be at least 1", "Size it as peak req/s x p99 latency x 1.5, e.g. 1500 x 0.1 s x 1.5 = 225.");
        }
        this.maxInFlight = limits.maxInFlight();
        this.maxBody = (int) Math.min(Integer.MAX_VALUE - 8, limits.maxBodySize().toBytes());
        this.shedding = shedding;
        this.problems = problems;
        this.outcomes = outcomes;
        Gauge.builder(OasisMetrics.REQUESTS_IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("endpoint requests in service now").register(registry);
    }

    /** Camel's platform-http engine, making the consumers this filter serves; Spring MVC keeps the others. */
    @Bean("platform-http-engine")
    SpringBootPlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port,
                                                    @Qualifier("applicationTaskExecutor") Executor executor) {
        return new SpringBootPlatformHttpEngine(port, executor) {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                return new EndpointConsumer(endpoint, processor, executor, EndpointDispatch.this);
            }
        };
    }

    @Bean
    FilterRegistrationBean<Filter> endpointDispatchFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(this);
        registration.addUrlPatterns("/*");
        // after every other filter (arrival time, body limit, CORS, ...): this one ends the chain for endpoints
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    void add(EndpointConsumer consumer) {
        String path = consumer.exactPath();
        if (path != null) {
            byPath.put(path, consumer);
        }
    }

    void remove(EndpointConsumer consumer) {
        String path = consumer.exactPath();
        if (path != null) {
            byPath.remove(path, consumer);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        EndpointConsumer consumer = find(request);
        if (consumer == null || request.isAsyncStarted()) {
            chain.doFilter(req, res);
            return;
        }
        if (!enter()) {
            refuse(request, (HttpServletResponse) res);
            return;
        }
        try {
            consumer.serve(request, (HttpServletResponse) res, answered, maxBody);
        } catch (RuntimeException e) {
            leave();
            throw e;
        }
    }

    /**
     * The route this filter serves for a request, or null. Matched on the path as the container decoded and
     * normalised it (percent-escapes decoded, {@code ;parameters} dropped, dot segments resolved), which is the path
     * Spring MVC matches too: every spelling of an endpoint's path reaches the same admission.
     */
    EndpointConsumer find(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
        EndpointConsumer consumer = byPath.get(path);
        return consumer == null || !consumer.accepts(request.getMethod()) || !consumer.isRunAllowed()
                || consumer.isSuspended() ? null : consumer;
    }

    /** Takes a place in service; false when {@code max-in-flight} are in service already (refuse then). */
    boolean enter() {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Problem problem = shedding.refuse(LoadShedding.Reason.TOO_MANY_IN_FLIGHT);
        outcomes.record("none", ArrivalTime.of(request), problem.status(), problem.slug(), false, null, null, null);
        response.setHeader("Retry-After", LoadShedding.RETRY_AFTER);
        problems.write(response, problem, request.getRequestURI());
    }
}
