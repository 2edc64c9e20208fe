package io.oasis.testkit;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application with an identity provider: bearer tokens from {@link Tokens} are validated against the keys
 * it publishes on the stub server, for its issuer and audience.
 */
public abstract class IssuerIT extends OasisIT {

    /** The routes every test loads (those shipped and the test's own), to which a test adds its folder. */
    public static final String ROUTES = "classpath:routes/*.camel.yaml,classpath:routes/endpoints/*.camel.yaml,"
            + "classpath:routes/alerting/*.camel.yaml,classpath:test-routes/*.camel.yaml";

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("oasis.identity.jwk-set-uri", Tokens::jwksUrl);
        registry.add("oasis.identity.issuer", () -> Tokens.ISSUER);
        registry.add("oasis.identity.audiences", () -> Tokens.AUDIENCE);
    }

    /** The keys are served again before each test: {@link UpstreamStubs#healthy()} forgets every stub. */
    @BeforeEach
    void publishKeys() {
        Tokens.publishKeys();
    }
}
