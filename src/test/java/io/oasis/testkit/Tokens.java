package io.oasis.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * An issuer for tests: an RSA signing key whose JWKS {@link UpstreamStubs} serves at /jwks, and the tokens a caller
 * may bring, good and bad.
 */
public final class Tokens {

    public static final String ISSUER = "https://issuer.test";
    public static final String AUDIENCE = "oasis";

    private static final RSAKey KEY = key();
    /** Another key with the same key id: its signatures must not verify. */
    private static final RSAKey IMPOSTOR = key();

    private Tokens() {
    }

    private static RSAKey key() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer's JWKS URL on the stub server. */
    public static String jwksUrl() {
        return "http://127.0.0.1:" + UpstreamStubs.SERVER.port() + "/jwks";
    }

    /** Serves the JWKS (again after {@link UpstreamStubs#healthy()}, which forgets every stub). */
    public static void publishKeys() {
        UpstreamStubs.SERVER.stubFor(get(urlPathEqualTo("/jwks"))
                .willReturn(okJson(new JWKSet(KEY.toPublicJWK()).toString())));
    }

    /** A valid token for this subject and user segment. */
    public static String valid(String subject, String segment) {
        return sign(KEY, claims(subject, segment, AUDIENCE, Duration.ofMinutes(5)));
    }

    public static String expired(String subject) {
        return sign(KEY, claims(subject, "gold", AUDIENCE, Duration.ofMinutes(-5)));
    }

    public static String forAnotherAudience(String subject) {
        return sign(KEY, claims(subject, "gold", "another-api", Duration.ofMinutes(5)));
    }

    public static String signedByAnImpostor(String subject) {
        return sign(IMPOSTOR, claims(subject, "gold", AUDIENCE, Duration.ofMinutes(5)));
    }

    /** Signed with a key nobody published, under a key id of its own: what a forger sends. */
    public static String withUnknownKeyId(String subject) {
        try {
            RSAKey forged = new RSAKeyGenerator(2048).keyID("forged-" + java.util.UUID.randomUUID()).generate();
            return sign(forged, claims(subject, "gold", AUDIENCE, Duration.ofMinutes(5)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid from ten minutes from now ({@code nbf}), past any clock skew. */
    public static String notYetValid(String subject) {
        Instant now = Instant.now();
        return sign(KEY, new JWTClaimsSet.Builder(claims(subject, "gold", AUDIENCE, Duration.ofMinutes(30)))
                .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))).build());
    }

    /** Signed with the published key, but naming another issuer. */
    public static String fromAnotherIssuer(String subject) {
        return sign(KEY, new JWTClaimsSet.Builder(claims(subject, "gold", AUDIENCE, Duration.ofMinutes(5)))
                .issuer("https://another-issuer.test").build());
    }

    /** Signed, but valid for ever: no {@code exp}. */
    public static String withoutExpiry(String subject) {
        Instant now = Instant.now();
        return sign(KEY, new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject).audience(List.of(AUDIENCE))
                .issueTime(Date.from(now)).build());
    }

    /** {@code alg: none}: claims anyone could write. */
    public static String unsigned(String subject) {
        return new PlainJWT(claims(subject, "gold", AUDIENCE, Duration.ofMinutes(5))).serialize();
    }

    private static JWTClaimsSet claims(String subject, String segment, String audience, Duration validFor) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject).audience(List.of(audience))
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.plus(validFor)))
                .claim("segment", segment).build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
