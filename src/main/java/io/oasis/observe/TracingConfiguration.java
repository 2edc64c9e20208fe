package io.oasis.observe;

import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.oasis.config.ConfigurationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenTelemetry SDK, configured by the standard OTEL_* environment variables (or otel.* system properties):
 * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER_ARG... Oasis' own defaults, which any of
 * them overrides: no exporter until one is named (no errors while no collector runs), sampling 10 % of traces,
 * service name oasis. With that default sampler a caller asking for sampling ({@code traceparent} flags 01) is
 * followed at most {@code oasis.tracing.caller-sampled-per-second} times a second ({@link CallerCappedSampler}).
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
    OpenTelemetrySdk openTelemetry(@Value("${oasis.tracing.caller-sampled-per-second:10}") int callerSampled) {
        if (callerSampled < 0 || callerSampled > 0xFFFFF) {
            throw new ConfigurationException("oasis.tracing.caller-sampled-per-second", callerSampled,
                    "must be between 0 and 1048575", "E.g. 10; 0 never follows a caller's sampling flag.");
        }
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .addSamplerCustomizer((sampler, config) ->
                        "parentbased_traceidratio".equals(config.getString("otel.traces.sampler"))
                                ? new CallerCappedSampler(config.getDouble("otel.traces.sampler.arg", 1.0), callerSampled)
                                : sampler)
                .build()
                .getOpenTelemetrySdk();
    }

    @Bean
    Tracing tracing(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry);
    }
}
