package io.oasis.admin;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A state-changing operator request (anything but GET, HEAD, OPTIONS) from a browser page of another origin is
 * refused with 403, whatever cookies it carries: the browser says where the page came from ({@code Sec-Fetch-Site},
 * {@code Origin}), and only this origin may change anything. SameSite cookies are no such guard: they are per
 * site, and another port of the same host is the same site. Requests without either header come from no browser
 * (curl, scripts) and carry no ambient credentials. Jolokia's exec and write also need POST: a link or an image
 * cannot run an operation.
 */
final class CrossSiteRequests extends OncePerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final ProblemWriter problems;

    CrossSiteRequests(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SAFE.contains(request.getMethod())) {
            if (changesStateThroughJolokia(request)) {
                problems.write(response, new Problem(405, "method-not-allowed", "Method not allowed",
                        "Jolokia's exec and write take POST", Map.of()), request.getRequestURI());
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        String refusal = refusal(request);
        if (refusal != null) {
            problems.write(response, new Problem(403, "cross-site", "Forbidden", refusal, Map.of()),
                    request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why a state-changing request is refused as cross-site, or null. */
    static String refusal(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return "a request from a page of another origin (" + fetchSite + ") may not change anything here";
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request.getHeader("Host"))) {
            return "a request from a page of another origin may not change anything here";
        }
        return null;
    }

    /** The Origin's host and port against the Host the request was sent to (the scheme may end at a proxy). */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String expected = uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
            String given = host.toLowerCase(Locale.ROOT);
            return given.equals(expected) || given.equals(uri.getHost().toLowerCase(Locale.ROOT))
                    && (port == 80 || port == 443);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A GET to Jolokia that would run an operation or write an attribute: in the path or in its p parameter. */
    private static boolean changesStateThroughJolokia(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.startsWith("/actuator/jolokia")) {
            return false;
        }
        String command = path.substring("/actuator/jolokia".length());
        String p = request.getParameter("p");
        return startsWithCommand(command) || p != null && startsWithCommand(p);
    }

    private static boolean startsWithCommand(String path) {
        String stripped = path.startsWith("/") ? path.substring(1) : path;
        String lower = stripped.toLowerCase(Locale.ROOT);
        return lower.startsWith("exec") || lower.startsWith("write");
    }
}
