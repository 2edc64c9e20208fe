package io.oasis.check;

import java.util.List;
import java.util.stream.Collectors;

import io.oasis.config.ConfigurationException;

/** Startup stopped by {@code check}: every finding of the run, errors first, one per line. */
public class CheckFailure extends ConfigurationException {

    private final transient List<Finding> findings;

    public CheckFailure(List<Finding> findings) {
        super("oasis routes and settings", errors(findings) + " error(s)", "\n" + findings.stream().map(Finding::line)
                .collect(Collectors.joining("\n")), "Each finding says its fix; `java -jar oasis.jar check` lists "
                + "them without starting Oasis.");
        this.findings = findings;
    }

    public List<Finding> findings() {
        return findings;
    }

    private static long errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    }
}
