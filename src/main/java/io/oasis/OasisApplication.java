package io.oasis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Oasis: a Backend-for-Frontend whose endpoints are Camel routes composing many upstreams into one answer. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OasisApplication {

    public static void main(String[] args) {
        VirtualThreads.enableInCamelWhenSupported();
        SpringApplication.run(OasisApplication.class, args);
    }
}
