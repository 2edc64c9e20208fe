package io.oasis;

import io.oasis.check.CheckCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Oasis: a Backend-for-Frontend whose endpoints are Camel routes composing many upstreams into one answer. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OasisApplication {

    /** {@code java -jar oasis.jar [check] [--key=value ...]}: runs Oasis, or only checks its routes and settings. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("check")) {
            System.exit(CheckCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        VirtualThreads.enableInCamelWhenSupported();
        SpringApplication.run(OasisApplication.class, args);
    }
}
