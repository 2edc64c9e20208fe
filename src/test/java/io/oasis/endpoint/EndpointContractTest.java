package io.oasis.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.oasis.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointContractTest {

    private static EndpointContract contract(Map<String, EndpointProperties.Parameter> parameters) {
        EndpointProperties properties = new EndpointProperties(
                new EndpointProperties.Defaults(Duration.ofSeconds(1), Duration.ofMillis(10)),
                Map.of("search", new EndpointProperties.Endpoint(Duration.ofMillis(300), null, null, null, null, parameters, null)));
        return new EndpointContracts(properties).get("search");
    }

    private static final EndpointContract SEARCH = contract(new LinkedHashMap<>(Map.of(
            "q", new EndpointProperties.Parameter(true, "[a-z ]+", 10),
            "page", new EndpointProperties.Parameter(false, "[0-9]+", 3))));

    private static ProblemException refused(String query) {
        try {
            SEARCH.parameters(query);
        } catch (ProblemException e) {
            return e;
        }
        throw new AssertionError("accepted: " + query);
    }

    @Test
    void parameters_validQuery_decodesDeclaredAndIgnoresOthers() {
        assertThat(SEARCH.parameters("q=red+shoes&page=2&utm_source=x%zz")).isEqualTo(Map.of("q", "red shoes", "page", "2"));
    }

    @Test
    void parameters_optionalMissing_isLeftOut() {
        assertThat(SEARCH.parameters("q=shoes")).isEqualTo(Map.of("q", "shoes"));
    }

    @Test
    void parameters_requiredMissing_is400NamingIt() {
        ProblemException e = refused("page=1");

        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().extra()).containsEntry("parameter", "q");
        assertThat(e.problem().detail()).isEqualTo("q is required");
    }

    @Test
    void parameters_patternMismatch_is400() {
        assertThat(refused("q=shoes&page=x").problem().detail()).isEqualTo("page must match [0-9]+");
    }

    @Test
    void parameters_tooLong_isRefusedBeforeThePattern() {
        assertThat(refused("q=aaaaaaaaaaa").problem().detail()).isEqualTo("q is longer than 10 characters");
    }

    @Test
    void parameters_repeated_is400() {
        assertThat(refused("q=a&q=b").problem().detail()).isEqualTo("q is given more than once");
    }

    @Test
    void parameters_encodedNameAndValue_areDecodedBeforeChecking() {
        assertThat(SEARCH.parameters("%71=a%20b")).isEqualTo(Map.of("q", "a b"));
        assertThat(refused("q=%2e%2e%2f").problem().detail()).isEqualTo("q must match [a-z ]+");
    }

    @Test
    void parameters_malformedPercentEncoding_is400NamingTheParameter() {
        ProblemException e = refused("q=%zz");

        assertThat(e.problem().detail()).isEqualTo("q has a malformed percent-encoding");
        assertThat(e.problem().extra()).containsEntry("parameter", "q");
    }

    @Test
    void callBudget_isTheBudgetLessTheAssemblyMargin() {
        assertThat(SEARCH.callBudgetNanos()).isEqualTo(Duration.ofMillis(290).toNanos());
        assertThat(SEARCH.budgetNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void contracts_badPattern_failsNamingKeyAndValue() {
        assertThatThrownBy(() -> contract(Map.of("q", new EndpointProperties.Parameter(true, "[a-", 10))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("oasis.endpoints.search.parameters.q.pattern = '[a-'");
    }

    @Test
    void contracts_nonPositiveBudget_failsNamingKeyAndValue() {
        EndpointProperties properties = new EndpointProperties(
                new EndpointProperties.Defaults(Duration.ofSeconds(1), Duration.ofMillis(10)),
                Map.of("search", new EndpointProperties.Endpoint(Duration.ZERO, null, null, null, null, Map.of(), null)));

        assertThatThrownBy(() -> new EndpointContracts(properties))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("oasis.endpoints.search.budget = '0ms': must be a positive duration");
    }
}
