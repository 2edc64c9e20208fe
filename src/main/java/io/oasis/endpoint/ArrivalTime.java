package io.oasis.endpoint;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Stamps each request with the moment Tomcat handed it over, before it waits for a request thread: an endpoint's
 * budget counts from here, so time spent queued under load is part of it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ArrivalTime implements Filter {

    /** Request attribute holding {@link System#nanoTime()} at arrival, a Long. */
    public static final String ATTRIBUTE = "oasis.arrivalNanos";

    /** When Tomcat handed the request over; now if it did not come through this filter (or there is none). */
    public static long of(ServletRequest request) {
        return request != null && request.getAttribute(ATTRIBUTE) instanceof Long nanos ? nanos : System.nanoTime();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getAttribute(ATTRIBUTE) == null) {
            request.setAttribute(ATTRIBUTE, System.nanoTime());
        }
        chain.doFilter(request, response);
    }
}
