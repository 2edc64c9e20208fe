package io.oasis.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.cache.CacheInvalidation;
import io.oasis.cache.CacheProperties;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import io.oasis.endpoint.RequestLimits;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /admin/cache/invalidate} with {@code Authorization: Bearer <oasis.cache.admin-token>} and a body such
 * as {@code {"tag": "product:42", "reason": "price change"}}. Answers 202 with what was invalidated; 401 without the
 * token; 404 when no admin token is configured (the API is off). The body is read only once the token is right, and
 * never beyond {@code oasis.request-limits.max-body-size}.
 */
@RestController
public class CacheAdmin {

    private final CacheInvalidation invalidation;
    private final ProblemWriter problems;
    private final ObjectMapper json;
    private final byte[] token;
    private final int maxBody;

    public CacheAdmin(CacheInvalidation invalidation, ProblemWriter problems, ObjectMapper json,
                      CacheProperties properties, RequestLimits.Settings limits) {
        this.invalidation = invalidation;
        this.problems = problems;
        this.json = json;
        this.maxBody = maxBody(limits);
        this.token = properties.adminToken() == null || properties.adminToken().isBlank() ? null
                : ("Bearer " + properties.adminToken()).getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping(path = "/admin/cache/invalidate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> invalidate(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                      HttpServletRequest request) throws java.io.IOException {
        if (token == null) {
            return problem(new Problem(404, "not-found", "Not found", "the admin API is not configured", Map.of()),
                    request);
        }
        if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
            ResponseEntity<byte[]> refused = problem(new Problem(401, "unauthorized", "Unauthorized",
                    "send Authorization: Bearer <admin token>", Map.of()), request);
            return ResponseEntity.status(401).headers(refused.getHeaders())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"oasis-admin\"").body(refused.getBody());
        }
        return apply(body(request, maxBody), "api", request, invalidation, problems, json);
    }

    /** The limit the body filter applied already ({@link RequestLimits}), as an int for reading. */
    static int maxBody(RequestLimits.Settings limits) {
        return (int) Math.min(Integer.MAX_VALUE - 8, limits.maxBodySize().toBytes());
    }

    /** At most {@code max} bytes of the request's body; the filter in front refused longer and unknown lengths. */
    static byte[] body(HttpServletRequest request, int max) throws java.io.IOException {
        return request.getInputStream().readNBytes(max);
    }

    /** Parses and applies an invalidation body; 400 problem+json naming what is wrong. */
    static ResponseEntity<byte[]> apply(byte[] body, String source, HttpServletRequest request,
                                        CacheInvalidation invalidation, ProblemWriter problems, ObjectMapper json) {
        List<CacheInvalidation.Request> requests;
        String reason;
        try {
            JsonNode document = body == null || body.length == 0 ? null : json.readTree(body);
            requests = CacheInvalidation.requests(document);
            reason = document.path("reason").asText("no reason given");
        } catch (IllegalArgumentException | java.io.IOException e) {
            return problem(Problem.badRequest(e instanceof IllegalArgumentException ? e.getMessage()
                    : "the body is not JSON"), request, problems);
        }
        int pending = 0;
        for (CacheInvalidation.Request r : requests) {
            if (invalidation.invalidate(r, source, reason) == CacheInvalidation.Outcome.PENDING) {
                pending++;
            }
        }
        if (pending > 0) {
            // applied here only: saying 202 would promise what the other instances do not do yet
            ResponseEntity<byte[]> notYet = problem(new Problem(503, "invalidation-pending", "Not applied everywhere",
                    "applied on this instance; Redis did not take it, so the other instances keep their copies "
                            + "until it does (retried until then)", Map.of("pending", pending,
                            "invalidated", requests.size())), request, problems);
            return ResponseEntity.status(503).headers(notYet.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, "5").body(notYet.getBody());
        }
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON)
                .body(("{\"invalidated\":" + requests.size() + "}").getBytes(StandardCharsets.UTF_8));
    }

    private ResponseEntity<byte[]> problem(Problem problem, HttpServletRequest request) {
        return problem(problem, request, problems);
    }

    static ResponseEntity<byte[]> problem(Problem problem, HttpServletRequest request, ProblemWriter problems) {
        return ResponseEntity.status(problem.status()).contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
                .body(problems.toBytes(problem, request.getRequestURI()));
    }
}
