package io.oasis.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.oasis.OasisApplication;
import io.oasis.config.ConfigurationException;
import org.apache.camel.FailedToCreateRouteException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar oasis.jar check [--spring.profiles.active=...] [--key=value ...]}: loads the routes and settings
 * as a start would, without starting a route, the demo upstreams or the alerting, prints every finding and exits
 * 1 when one is an error, else 0.
 */
public final class CheckCommand {

    /** Settings that make a start a check: nothing listens, sends or runs. */
    private static final List<String> CHECK_ONLY = List.of("--camel.main.auto-startup=false",
            "--oasis.demo.embedded=false", "--oasis.alerting.enabled=false", "--server.port=0",
            "--spring.main.banner-mode=off", "--oasis.check.route-schema=true", "--spring.jmx.enabled=false",
            "--camel.main.jmx-enabled=false",
            // the findings are printed below, not logged, and a failed check is not an application crash
            "--logging.level.root=ERROR", "--logging.level.io.oasis.check=OFF",
            "--logging.level.org.springframework.boot.diagnostics=OFF",
            "--logging.level.org.springframework.boot.SpringApplication=OFF");

    private CheckCommand() {
    }

    /** Runs the check with these command-line settings; the exit code. */
    public static int run(String[] args, PrintStream out) {
        List<String> commandLine = new ArrayList<>(Arrays.asList(args));
        commandLine.addAll(CHECK_ONLY);
        List<Finding> findings;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(OasisApplication.class)
                .run(commandLine.toArray(String[]::new))) {
            findings = context.getBean(CompositionCheck.class).findings();
        } catch (RuntimeException e) {
            findings = findings(e);
        }
        long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
        findings.forEach(f -> out.println(f.line()));
        out.println("oasis check: " + errors + " error(s), " + (findings.size() - errors) + " warning(s)");
        return errors > 0 ? 1 : 0;
    }

    /**
     * The findings a failed start carries: all of them from the check, the one setting that stopped it, or the
     * route Camel could not create (an unknown component, a bad option), as an error rather than a stack trace.
     */
    private static List<Finding> findings(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CheckFailure check) {
                return check.findings();
            }
            if (t instanceof ConfigurationException c) {
                // the start stopped before the routes existed: no file to name beyond routes or settings
                return List.of(new Finding(Finding.Severity.ERROR, "configuration",
                        c.key().startsWith("route ") ? "(routes)" : "(settings)", c.key(),
                        c.getMessage(), c.fix()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException route) {
                Throwable root = route;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return List.of(new Finding(Finding.Severity.ERROR, "route", "(routes)", "route " + route.getRouteId(),
                        root.getMessage(), "Fix the step it names, or add the Camel component it needs."));
            }
        }
        throw failure;
    }
}
