package io.oasis.demo;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.demo}: the simulated upstreams of the demo profile, on their own port in the same process.
 *
 * @param host     interface to listen on; loopback keeps the demo private to this machine
 * @param port     one port for all services, each under its own path prefix (/profile, /orders, ...)
 * @param services per service: latency and injected faults
 */
@ConfigurationProperties("oasis.demo")
public record DemoProperties(@DefaultValue("127.0.0.1") String host, @DefaultValue("9090") int port,
                             Map<String, Service> services) {

    public DemoProperties {
        services = services == null ? Map.of() : services;
    }

    /**
     * @param latency      time before the answer; absent: the classic latency of the service
     * @param addedLatency injected on top of the latency
     * @param errorRate    share of requests answered with {@code errorStatus}, 0 to 1
     * @param errorStatus  status of an injected error
     */
    public record Service(Duration latency, @DefaultValue("0ms") Duration addedLatency,
                          @DefaultValue("0") double errorRate, @DefaultValue("500") int errorStatus) {
    }
}
