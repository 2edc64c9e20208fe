package io.oasis.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/ follows the conventions, and the checker catches each way of breaking them. */
class RouteConventionsTest {

    @Test
    void routesFolder_everyFile_followsTheConventions() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            violations.addAll(RouteConventions.violations(file.getFileName().toString(), Files.readString(file)));
        }

        assertThat(files).isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @Test
    void routeWithoutId_isAViolation() {
        assertThat(RouteConventions.violations("cart.camel.yaml", """
                - route:
                    from:
                      uri: platform-http:/api/cart
                """)).singleElement().asString().contains("without an id");
    }

    @Test
    void routeIdDifferentFromFileName_isAViolation() {
        assertThat(RouteConventions.violations("cart.camel.yaml", """
                - route:
                    id: basket
                    from:
                      uri: platform-http:/api/cart
                - route:
                    id: other-helper
                    from:
                      uri: direct:x
                """)).hasSize(2).anySatisfy(v -> assertThat(v).contains("expected 'cart'"))
                .anySatisfy(v -> assertThat(v).contains("does not start with 'cart-'"));
    }

    @Test
    void httpProducerInARoute_isAViolation() {
        assertThat(RouteConventions.violations("cart.camel.yaml", """
                - route:
                    id: cart
                    from:
                      uri: platform-http:/api/cart
                      steps:
                        - to: https://cart.internal/items
                        - multicast:
                            steps:
                              - toD:
                                  uri: http://x/${header.id}
                        - enrich:
                            constant: vertx-http:http://y
                """)).hasSize(3).allSatisfy(v -> assertThat(v).contains("calls HTTP outside upstream:"));
    }

    @Test
    void templatedCallWithMismatchedIds_isAViolation() {
        assertThat(RouteConventions.violations("cart.camel.yaml", """
                - route:
                    id: cart
                    from:
                      uri: platform-http:/api/cart
                - templatedRoute:
                    routeTemplateRef: upstream-call
                    routeId: cart-items
                    parameters:
                      - {name: endpoint, value: basket}
                      - {name: part, value: lines}
                """)).hasSize(2);
    }
}
