package io.oasis.config;

/** Rules every configured secret (admin token, webhook secret, operator password) is held to when bound. */
public final class Secrets {

    /** The shortest secret accepted: a guessable one is no credential. */
    public static final int MIN_LENGTH = 16;

    private Secrets() {
    }

    /**
     * @throws ConfigurationException when a configured secret is shorter than {@link #MIN_LENGTH}, naming the key and
     *                                the length, never the value
     */
    public static void requireStrong(String key, String secret) {
        if (secret != null && !secret.isBlank() && secret.length() < MIN_LENGTH) {
            throw new ConfigurationException(key, "(" + secret.length() + " characters, not shown)",
                    "is shorter than " + MIN_LENGTH + " characters", "Use a random value, e.g. openssl rand -base64 24.");
        }
    }
}
