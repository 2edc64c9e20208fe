package io.oasis.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for tests, made by the JDK's keytool: a self-signed key pair for 127.0.0.1 in a PKCS12 key store,
 * and trust stores holding chosen certificates. Every store's password is {@link #PASSWORD}.
 */
public final class Certificates {

    public static final String PASSWORD = "changeit";

    private Certificates() {
    }

    /** A key pair for 127.0.0.1 and its certificate; {@code keyStore} is PKCS12. */
    public record Issued(String alias, Path keyStore, Path certificate) {
    }

    /** A new self-signed key pair for 127.0.0.1, valid for two days, in {@code dir}. */
    public static Issued issue(Path dir, String alias) {
        Path keyStore = dir.resolve(alias + ".p12");
        Path certificate = dir.resolve(alias + ".cer");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        return new Issued(alias, keyStore, certificate);
    }

    /** A PKCS12 trust store named {@code name}.p12 in {@code dir}, trusting these certificates. */
    public static Path trustStore(Path dir, String name, Issued... trusted) {
        Path store = dir.resolve(name + ".p12");
        for (Issued issued : trusted) {
            keytool("-importcert", "-noprompt", "-alias", issued.alias(), "-file", issued.certificate().toString(),
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD);
        }
        return store;
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool " + command + ": " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("keytool " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
