package io.oasis.testkit;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.oasis.OasisApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One whole Oasis started by a test, on a free port, its upstreams played by {@link UpstreamStubs}: several of them
 * in one JVM are several instances of a fleet. JMX is off in each (two instances would register the same names).
 */
public final class OasisInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private OasisInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts an instance with the test profile and these properties over it (an upstream's base-url among them). */
    public static OasisInstance start(Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.jmx.enabled=false",
                "--camel.main.jmx-enabled=false", "--management.endpoints.web.exposure.include=health,prometheus"));
        for (String upstream : UpstreamStubs.UPSTREAMS) {
            String key = "oasis.upstreams." + upstream + ".base-url";
            if (!properties.containsKey(key)) {
                args.add("--" + key + "=" + UpstreamStubs.baseUrl(upstream));
            }
        }
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new OasisInstance(new SpringApplicationBuilder(OasisApplication.class).profiles("test")
                .run(args.toArray(String[]::new)));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return Http.send(Http.request(port(), pathAndQuery).GET().build());
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
