package io.oasis.check;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar oasis.jar check}: the shipped routes and settings pass; a bad one is named with its file and fix. */
class CheckCommandIT {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void check_ofTheShippedRoutesAndSettings_findsNothing() {
        int exit = CheckCommand.run(new String[0], out);

        assertThat(output()).endsWith("oasis check: 0 error(s), 0 warning(s)" + System.lineSeparator());
        assertThat(exit).isZero();
    }

    @Test
    void check_ofARouteWithACircle_printsEveryFindingAndExitsOne() {
        int exit = CheckCommand.run(new String[] {"--camel.main.routes-include-pattern=classpath:routes/*.camel.yaml,"
                + "classpath:routes/endpoints/*.camel.yaml,classpath:bad-routes/circle.camel.yaml",
                "--oasis.endpoints.circle.budget=1s", "--oasis.upstreams.cart.retry.attempts=12"}, out);

        assertThat(output())
                .contains("ERROR [dependency-cycle] bad-routes/circle.camel.yaml route circle-a parameter path/query: "
                        + "a -> b -> a: these calls wait for each other in a circle. Fix: ")
                .contains("WARNING [budget] routes/endpoints/dashboard.camel.yaml route dashboard call cart: retry.attempts 12, "
                        + "but even after failures that come at once only 3 retries fit the 490 ms endpoint dashboard")
                .contains("oasis check: 1 error(s), 1 warning(s)");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void check_ofARouteFileFailingCamelsYamlDslSchema_namesFileAndPlaceAndExitsOne() {
        int exit = CheckCommand.run(new String[] {"--camel.main.routes-include-pattern=classpath:routes/*.camel.yaml,"
                + "classpath:routes/endpoints/*.camel.yaml,classpath:bad-routes/schema.camel.yaml"}, out);

        assertThat(output()).contains("ERROR [route-schema] bad-routes/schema.camel.yaml")
                .contains("timePeriodMillis").contains("string").contains("oasis check: 1 error(s)");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void check_ofAUsersRouteFileBreakingTheConventions_warnsNamingFileAndRoute() {
        int exit = CheckCommand.run(new String[] {"--camel.main.routes-include-pattern=classpath:routes/*.camel.yaml,"
                + "classpath:routes/endpoints/*.camel.yaml,classpath:bad-routes/misnamed.camel.yaml"}, out);

        assertThat(output()).contains("WARNING [route-conventions] bad-routes/misnamed.camel.yaml misnamed.camel.yaml: "
                + "the first route's id is 'other', expected 'misnamed'");
        assertThat(exit).isZero();
    }

    @Test
    void check_ofARouteCallingAComponentNotOnTheClassPath_isAnErrorNamingTheRoute() {
        int exit = CheckCommand.run(new String[] {"--camel.main.routes-include-pattern=classpath:routes/*.camel.yaml,"
                + "classpath:routes/endpoints/*.camel.yaml,classpath:bad-routes/bypass.camel.yaml"}, out);

        assertThat(output()).contains("ERROR [route] (routes) route bypass: ")
                .contains("No endpoint could be found for: https://orders.internal/items");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void check_ofASettingThatStopsStartup_namesKeyAndValueAndExitsOne() {
        int exit = CheckCommand.run(new String[] {"--oasis.upstreams.orders.preset=fast"}, out);

        assertThat(output()).contains("ERROR [configuration] (settings) oasis.upstreams.orders.preset: "
                + "oasis.upstreams.orders.preset = 'fast': no preset of that name");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void check_ofASecretWrittenInAConfigurationFile_warnsWithoutPrintingIt(@org.junit.jupiter.api.io.TempDir
                                                                            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("inline.yaml");
        java.nio.file.Files.writeString(file, "oasis:\n  cache:\n    admin-token: hunter2-inline-token\n");

        int exit = CheckCommand.run(new String[] {"--spring.config.additional-location=file:" + file}, out);

        assertThat(output()).contains("WARNING [inline-secret] inline.yaml:3 oasis.cache.admin-token: a secret is "
                + "written in the configuration file itself. Fix: Write oasis.cache.admin-token: "
                + "${OASIS_CACHE_ADMIN_TOKEN}").doesNotContain("hunter2");
        assertThat(exit).isZero();
    }
}
