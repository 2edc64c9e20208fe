package io.oasis.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.OasisMetrics;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * What a hostile or broken client cannot make Oasis do. A request body larger than {@code oasis.request-limits
 * .max-body-size}, or one of unknown length, is refused with 413 before a byte of it is read (the connection is then
 * closed: Tomcat swallows at most {@code server.tomcat.max-swallow-size}); a request line or headers beyond
 * {@code server.max-http-request-header-size} are refused by Tomcat itself, which answers here in problem+json
 * instead of its HTML page. Both are counted ({@code oasis.requests.refused}).
 */
@Configuration
public class RequestLimits {

    /**
     * {@code oasis.request-limits}.
     *
     * @param maxBodySize a larger request body is refused unread, on every path (the admin API, webhooks, Jolokia,
     *                    the login form and unknown paths alike); the endpoints are GET and take none
     * @param paths       where the body limit applies (servlet URL patterns): every path unless narrowed
     * @param headTimeout a client that has not sent its whole request line and headers by then is disconnected
     *                    ({@link SlowClients})
     * @param bodyTimeout a client that has not sent its whole request, head and body, this long after its first byte
     *                    is disconnected, so that a body dripped a byte at a time holds no thread for longer
     * @param maxBlockingBodies requests with a body that a handler reads on a thread (admin API, webhook, Jolokia,
     *                    login; not the endpoints, which read theirs without one) in service at once; more get 503
     * @param maxInFlight endpoint requests in service at once; more are refused with 503 at once
     *                    ({@link EndpointDispatch}): peak req/s x p99 latency x 1.5
     * @param consoleMaxBodySize the limit instead for Jolokia ({@code /actuator/jolokia}, and Hawtio's
     *                    {@code /actuator/hawtio/jolokia}), read only once the operator is authenticated: Hawtio's
     *                    permission check alone posts ~135 KB in one bulk request
     */
    @ConfigurationProperties("oasis.request-limits")
    public record Settings(@DefaultValue("16KB") DataSize maxBodySize, @DefaultValue("/*") List<String> paths,
                           @DefaultValue("10s") java.time.Duration headTimeout,
                           @DefaultValue("10s") java.time.Duration bodyTimeout,
                           @DefaultValue("16") int maxBlockingBodies,
                           @DefaultValue("256") int maxInFlight,
                           @DefaultValue("512KB") DataSize consoleMaxBodySize) {
    }

    @Bean
    FilterRegistrationBean<Filter> requestBodyLimit(Settings settings, EndpointDispatch endpoints,
                                                    ProblemWriter problems, MeterRegistry registry) {
        if (settings.maxBlockingBodies() < 1) {
            throw new ConfigurationException("oasis.request-limits.max-blocking-bodies", settings.maxBlockingBodies(),
                    "must be at least 1", "E.g. 16: a quarter of server.tomcat.threads.max.");
        }
        Counter tooLarge = Counter.builder(OasisMetrics.REQUESTS_REFUSED).tag(OasisMetrics.TAG_REASON, "body-too-large")
                .description("requests refused for their size").register(registry);
        Counter tooMany = Counter.builder(OasisMetrics.REQUESTS_REFUSED).tag(OasisMetrics.TAG_REASON, "bodies-in-service")
                .description("requests refused for their size").register(registry);
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
                new BodyAdmission(settings, endpoints, problems, tooLarge, tooMany));
        registration.setUrlPatterns(settings.paths());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Replaces the error page Tomcat writes for requests it refuses before any application code (Spring's too). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages(MeterRegistry registry) {
        Counter headersRefused = Counter.builder(OasisMetrics.REQUESTS_REFUSED)
                .tag(OasisMetrics.TAG_REASON, "header-too-large").description("requests refused for their size")
                .register(registry);
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                // named too, or Tomcat adds its own (with stack traces) when the host starts
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemErrorReportValve(headersRefused));
            }
        });
    }

    /** Tomcat's own refusals (a request line or headers too large, a malformed request) as problem+json. */
    public static final class ProblemErrorReportValve extends ErrorReportValve {

        private final Counter headersRefused;

        /** For Tomcat, which may create one by its class name: then nothing is counted. */
        public ProblemErrorReportValve() {
            this(null);
        }

        ProblemErrorReportValve(Counter headersRefused) {
            this.headersRefused = headersRefused;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.isCommitted() || response.getContentWritten() > 0) {
                return;
            }
            boolean tooLarge = throwable != null && String.valueOf(throwable.getMessage()).contains("too large");
            if (tooLarge && headersRefused != null) {
                headersRefused.increment();
            }
            String slug = tooLarge ? "header-too-large" : "bad-request";
            String detail = tooLarge ? "the request line or headers are larger than this server accepts"
                    : "the request could not be read";
            String body = "{\"type\":\"urn:oasis:problem:" + slug + "\",\"title\":\"Bad request\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"}";
            try {
                response.setContentType(Problem.MEDIA_TYPE);
                response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the response was taken over: nothing more to tell it
            }
        }
    }
}
