package io.oasis.check;

/**
 * One thing {@code check} found: how bad, which rule, where (the file, and the route or key in it), what is wrong,
 * and what to do instead.
 *
 * @param file    a route file (routes/endpoints/dashboard.camel.yaml) or a configuration file with its line
 *                (application.yaml:263); "built-in default" for a value nobody configured
 * @param subject the route id or configuration key
 */
public record Finding(Severity severity, String rule, String file, String subject, String problem, String fix) {

    /** Errors stop startup; warnings are logged and reported. */
    public enum Severity { ERROR, WARNING }

    /** One line, for logs and the command line. */
    public String line() {
        return severity + " [" + rule + "] " + file + " " + subject + ": " + problem + ". Fix: " + fix;
    }

    /** The same finding, placed in a file. */
    Finding in(String file) {
        return new Finding(severity, rule, file, subject, problem, fix);
    }
}
