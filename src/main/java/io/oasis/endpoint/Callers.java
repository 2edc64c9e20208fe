package io.oasis.endpoint;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.OasisMetrics;
import jakarta.servlet.http.HttpServletRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Who the caller is: the request's bearer JWT validated by Spring Security's resource-server decoder (signature by
 * the issuer's JWKS, fetched and cached by Nimbus; issuer, audience, expiry with a clock skew; {@code alg: none} and
 * unlisted algorithms refused). Used directly rather than through Spring Security's filter chain, which would run its
 * firewall and matchers on every request. A token validated once is remembered until it expires (at most 5 minutes),
 * so a caller's next requests cost a map lookup instead of a signature check.
 */
@Component
public class Callers {

    /** What an endpoint asks of its callers. */
    public enum Mode { OFF, OPTIONAL, REQUIRED }

    private static final String KEY = "oasis.identity";
    private static final long REMEMBER_NANOS = Duration.ofMinutes(5).toNanos();
    /** the validated tokens remembered, at most this many bytes of tokens and claims together */
    static final long MAX_REMEMBERED_BYTES = 16L * 1024 * 1024;

    private final NimbusJwtDecoder decoder;
    private final Cache<String, Caller> validated;
    /** lower-case header name to claim ("authorization" for the relayed token), for the upstreams listed */
    private final Map<String, String> headerClaims = new LinkedHashMap<>();
    private final Counter missing;
    private final Counter invalid;
    private final Counter unavailable;

    public Callers(IdentityProperties properties, EndpointContracts contracts, MeterRegistry registry) {
        this.missing = unauthorized(registry, "missing");
        this.invalid = unauthorized(registry, "invalid");
        this.unavailable = unauthorized(registry, "keys-unavailable");
        properties.upstreams().forEach((upstream, identity) -> {
            if (identity.relayToken()) {
                headerClaims.put("authorization", "(token)");
            }
            identity.headers().forEach((header, claim) -> {
                String name = header.toLowerCase(Locale.ROOT);
                String other = headerClaims.putIfAbsent(name, claim);
                if (name.equals("authorization") || other != null && !other.equals(claim)) {
                    throw new ConfigurationException(KEY + ".upstreams." + upstream + ".headers." + header, claim,
                            name.equals("authorization") ? "Authorization carries the token: use relay-token"
                                    : "another upstream receives claim " + other + " in this header",
                            "Give each claim its own header name.");
                }
            });
        });
        if (properties.jwkSetUri() == null || properties.jwkSetUri().isBlank()) {
            for (String endpoint : contracts.configured()) {
                if (contracts.get(endpoint).caller() != Mode.OFF) {
                    throw new ConfigurationException("oasis.endpoints." + endpoint + ".caller",
                            contracts.get(endpoint).caller().name().toLowerCase(Locale.ROOT),
                            "no oasis.identity.jwk-set-uri to validate callers' tokens with",
                            "Set oasis.identity.jwk-set-uri (and issuer, audiences), or caller: off.");
                }
            }
            this.decoder = null;
            this.validated = null;
            return;
        }
        List<SignatureAlgorithm> algorithms = new ArrayList<>();
        for (String name : properties.algorithms()) {
            SignatureAlgorithm algorithm = SignatureAlgorithm.from(name.trim());
            if (algorithm == null) {
                throw new ConfigurationException(KEY + ".algorithms", name, "not a JWS signature algorithm",
                        "Use e.g. RS256, ES256 or PS256 (none is never accepted).");
            }
            algorithms.add(algorithm);
        }
        this.decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri())
                .jwsAlgorithms(list -> list.addAll(algorithms))
                .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                        algorithms.stream().map(a -> JWSAlgorithm.parse(a.getName())).collect(Collectors.toSet()),
                        keys(properties))))
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        // a token without an expiry would be valid for ever
        validators.add(new JwtClaimValidator<Instant>("exp", java.util.Objects::nonNull));
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        if (!properties.audiences().isEmpty()) {
            Set<String> accepted = Set.copyOf(properties.audiences());
            validators.add(new JwtClaimValidator<List<String>>("aud",
                    aud -> aud != null && aud.stream().anyMatch(accepted::contains)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        // bounded by what it holds, not by count: a token can be as large as the request head (16 KB)
        this.validated = Caffeine.newBuilder().maximumWeight(MAX_REMEMBERED_BYTES)
                .weigher((String token, Caller caller) -> weight(token, caller))
                .expireAfter(new Expiry<String, Caller>() {
            @Override
            public long expireAfterCreate(String token, Caller caller, long now) {
                Object exp = caller.claims().get("exp");
                long left = exp instanceof Instant at ? Duration.between(Instant.now(), at).toNanos() : 0;
                return Math.max(0, Math.min(left, REMEMBER_NANOS));
            }

            @Override
            public long expireAfterUpdate(String token, Caller caller, long now, long current) {
                return current;
            }

            @Override
            public long expireAfterRead(String token, Caller caller, long now, long current) {
                return current;
            }
        }).build();
    }

    /**
     * The caller of a request to an endpoint in this mode.
     *
     * @throws ProblemException 401 with WWW-Authenticate for a missing (when required) or invalid token; 503 when
     *                          the issuer's keys cannot be fetched
     */
    public Caller authenticate(Mode mode, HttpServletRequest request) {
        if (mode == Mode.OFF || request == null) {
            return Caller.ANONYMOUS;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (mode == Mode.OPTIONAL) {
                return Caller.ANONYMOUS;
            }
            missing.increment();
            throw new ProblemException(new Problem(401, "unauthorized", "Unauthorized",
                    "this endpoint needs a bearer token", Map.of()),
                    Map.of("WWW-Authenticate", "Bearer realm=\"oasis\""));
        }
        String token = authorization.substring(7).trim();
        Caller known = validated.getIfPresent(token);
        if (known != null) {
            return known;
        }
        try {
            Jwt jwt = decoder.decode(token);
            Caller caller = new Caller(jwt.getSubject(), jwt.getClaims(), token);
            validated.put(token, caller);
            return caller;
        } catch (BadJwtException e) {
            invalid.increment();
            String why = reason(e);
            throw new ProblemException(new Problem(401, "invalid-token", "Unauthorized", "the bearer token is "
                    + "not accepted: " + why, Map.of()), Map.of("WWW-Authenticate", "Bearer realm=\"oasis\", "
                    + "error=\"invalid_token\", error_description=\"" + why.replace('"', '\'') + "\""));
        } catch (JwtException e) {
            // not the token's fault: the issuer's keys could not be fetched
            unavailable.increment();
            throw new ProblemException(new Problem(503, "identity-unavailable", "Service unavailable",
                    "the issuer's signing keys cannot be fetched now", Map.of()), Map.of("Retry-After", "5"));
        }
    }

    /**
     * The request headers an upstream may receive about this caller, lower-case name to value: the configured claims
     * and, for upstreams that relay it, the token. None for an anonymous caller.
     */
    public Map<String, String> headers(Caller caller) {
        if (caller.anonymous() || headerClaims.isEmpty()) {
            return Map.of();
        }
        Map<String, String> headers = new HashMap<>(headerClaims.size() * 2);
        headerClaims.forEach((name, claim) -> {
            String value = claim.equals("(token)") ? "Bearer " + caller.token() : caller.claim(claim);
            if (value != null) {
                headers.put(name, value);
            }
        });
        return headers;
    }

    /** Lower-case names of the headers that carry the caller: never copied from the inbound request. */
    public Set<String> headerNames() {
        return headerClaims.keySet();
    }

    /**
     * The issuer's keys as Nimbus fetches and caches them, with a floor between two fetches: a token naming a key id
     * nobody published (a forged one) would otherwise fetch the key set again, one outbound call per such token. A
     * refetch the floor refuses reads as no key, so the token is 401 like any bad signature (503 only while the
     * issuer was unreachable at the last fetch). The key set is
     * fetched on a request's thread, once in a while: never wait long for it, nor read a huge one.
     */
    private static JWKSource<SecurityContext> keys(IdentityProperties properties) {
        URL url;
        try {
            url = URI.create(properties.jwkSetUri()).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new ConfigurationException(KEY + ".jwk-set-uri", properties.jwkSetUri(), "not a URL",
                    "E.g. https://issuer.example.com/.well-known/jwks.json");
        }
        long floor = properties.keyRefreshInterval().toMillis();
        if (floor < 0) {
            throw new ConfigurationException(KEY + ".key-refresh-interval", floor + "ms", "must not be negative",
                    "E.g. 30s.");
        }
        JWKSource<SecurityContext> fetched = JWKSourceBuilder.<SecurityContext>create(url,
                        new DefaultResourceRetriever(1000, 2000, 512 * 1024))
                .cache(Duration.ofMinutes(5).toMillis(), Duration.ofSeconds(3).toMillis())
                .rateLimited(floor)
                .retrying(false)
                .refreshAheadCache(false)
                .build();
        java.util.concurrent.atomic.AtomicBoolean unavailable = new java.util.concurrent.atomic.AtomicBoolean();
        return (selector, context) -> {
            try {
                List<com.nimbusds.jose.jwk.JWK> found = fetched.get(selector, context);
                unavailable.set(false);
                return found;
            } catch (RateLimitReachedException e) {
                if (unavailable.get()) {
                    throw e; // the issuer was unreachable at the last fetch: not the token's fault
                }
                return List.of();
            } catch (com.nimbusds.jose.KeySourceException e) {
                unavailable.set(true);
                throw e;
            }
        };
    }

    /** Why a token was refused, in words safe to show (never the token). */
    private static String reason(BadJwtException e) {
        if (e instanceof JwtValidationException v) {
            return v.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Unsupported algorithm") || message.contains("alg")) {
            return "its algorithm is not accepted";
        }
        if (message.contains("signature") || message.contains("Signed JWT rejected")) {
            return "its signature does not verify";
        }
        return "it is not a well-formed signed JWT";
    }

    /** About the bytes a remembered token holds: the token once (the caller shares it) and its claims as text. */
    static int weight(String token, Caller caller) {
        long claims = 0;
        for (Map.Entry<String, Object> claim : caller.claims().entrySet()) {
            claims += claim.getKey().length() + String.valueOf(claim.getValue()).length() + 16;
        }
        return (int) Math.min(Integer.MAX_VALUE, token.length() + claims + 64);
    }

    private static Counter unauthorized(MeterRegistry registry, String reason) {
        return Counter.builder(OasisMetrics.REQUESTS_UNAUTHORIZED).tag(OasisMetrics.TAG_REASON, reason)
                .description("requests refused for their bearer token").register(registry);
    }
}
