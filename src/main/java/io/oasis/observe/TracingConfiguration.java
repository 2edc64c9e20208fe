package io.oasis.observe;

import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenTelemetry SDK, configured by the standard OTEL_* environment variables (or otel.* system properties):
 * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER_ARG... Oasis' own defaults, which any of
 * them overrides: no exporter until one is named (no errors while no collector runs), sampling 10 % of new traces
 * and following the caller's decision, service name oasis.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "oasis",
            "otel.traces.exporter", "none",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.traces.sampler", "parentbased_traceidratio",
            "otel.traces.sampler.arg", "0.1");

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry() {
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .build()
                .getOpenTelemetrySdk();
    }

    @Bean
    Tracing tracing(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry);
    }
}
