package io.oasis.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.identity}: whose bearer tokens Oasis accepts, and what each upstream learns of the caller. Each
 * endpoint says whether it needs a caller ({@code oasis.endpoints.<id>.caller}).
 *
 * @param jwkSetUri  where the issuer publishes its signing keys (JWKS); absent: no token can be validated, and an
 *                   endpoint that needs a caller does not start
 * @param issuer     the {@code iss} every token must carry; absent: not checked
 * @param audiences  a token's {@code aud} must name one of these; empty: not checked
 * @param algorithms signature algorithms accepted; {@code none} never is
 * @param clockSkew  tolerance on {@code exp} and {@code nbf} for clocks that disagree
 * @param keyRefreshInterval the key set is fetched again at most this often for a key id it lacks: a key rotated in
 *                   is accepted within it, a flood of forged key ids costs one fetch per interval
 * @param upstreams  per upstream, what it receives of the caller; an upstream not listed receives nothing
 */
@ConfigurationProperties("oasis.identity")
public record IdentityProperties(String jwkSetUri, String issuer, @DefaultValue List<String> audiences,
                                 @DefaultValue("RS256") List<String> algorithms,
                                 @DefaultValue("30s") Duration clockSkew,
                                 @DefaultValue("30s") Duration keyRefreshInterval,
                                 @DefaultValue Map<String, UpstreamIdentity> upstreams) {

    /**
     * @param relayToken the caller's validated token as {@code Authorization: Bearer ...}
     * @param headers    header name to claim, e.g. {@code X-User-Id: sub}; the value is the validated claim's
     */
    public record UpstreamIdentity(@DefaultValue("false") boolean relayToken,
                                   @DefaultValue Map<String, String> headers) {
    }
}
