package io.oasis.config;

/**
 * A setting Oasis cannot start with. The message names the key, the value and what to do instead,
 * and is printed as it is by {@link ConfigurationFailureAnalyzer}.
 */
public class ConfigurationException extends RuntimeException {

    private final String key;
    private final String value;
    private final String fix;

    public ConfigurationException(String key, Object value, String problem, String fix) {
        super(key + " = " + shown(value) + ": " + problem);
        this.key = key;
        this.value = shown(value);
        this.fix = fix;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public String fix() {
        return fix;
    }

    private static String shown(Object value) {
        return value == null ? "(missing)" : "'" + value + "'";
    }
}
