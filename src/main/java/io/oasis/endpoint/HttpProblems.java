package io.oasis.endpoint;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import jakarta.servlet.RequestDispatcher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import jakarta.servlet.http.HttpServletRequest;
import io.oasis.observe.RequestOutcome;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * problem+json for what never reaches a route: an unknown path (404), a wrong method (405, with Allow), a full
 * request executor (503), and anything the servlet container itself refuses (via /error). No stack traces.
 */
@RestController
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class HttpProblems implements ErrorController {

    private final ProblemWriter writer;
    private final LoadShedding shedding;
    private final RequestOutcome outcomes;

    public HttpProblems(ProblemWriter writer, LoadShedding shedding, RequestOutcome outcomes) {
        this.writer = writer;
        this.shedding = shedding;
        this.outcomes = outcomes;
    }

    private static HttpServletRequest currentRequest() {
        return org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<byte[]> notFound(HttpServletRequest request) {
        return answer(new Problem(404, "not-found", "Not found", "no endpoint at this path", Map.of()),
                request.getRequestURI(), new HttpHeaders());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return answer(new Problem(405, "method-not-allowed", "Method not allowed",
                e.getMethod() + " is not supported here", Map.of()), request.getRequestURI(), headers);
    }

    @ExceptionHandler(RejectedExecutionException.class)
    ResponseEntity<byte[]> overloaded(HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, LoadShedding.RETRY_AFTER);
        return answer(shedding.refuse(LoadShedding.Reason.EXECUTOR_FULL), request.getRequestURI(),
                headers);
    }

    /** Errors raised outside Spring MVC, e.g. a request line Tomcat cannot parse. */
    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return answer(new Problem(status, slug(title), title, title, Map.of()),
                uri == null ? null : uri.toString(), new HttpHeaders());
    }

    private ResponseEntity<byte[]> answer(Problem problem, String instance, HttpHeaders headers) {
        outcomes.record("none", ArrivalTime.of(currentRequest()), problem.status(), problem.slug(), false, null, null,
                null);
        headers.setContentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
        return new ResponseEntity<>(writer.toBytes(problem, instance), headers, HttpStatusCode.valueOf(problem.status()));
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
