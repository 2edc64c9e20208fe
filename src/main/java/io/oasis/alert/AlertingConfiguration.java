package io.oasis.alert;

import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.cache.AnswerCache;
import io.oasis.endpoint.EndpointContracts;
import io.oasis.upstream.Upstreams;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Alerting's parts, made from {@code oasis.alerting}, the endpoints and the upstreams. */
@Configuration(proxyBeanMethods = false)
public class AlertingConfiguration {

    @Bean
    MetricHistory alertMetricHistory() {
        return new MetricHistory();
    }

    /** A Clock bean, when a test gives one, drives alerting and silences; else the wall clock. */
    @Bean
    Silences alertSilences(ObjectProvider<Clock> clock) {
        return new Silences(clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    AlertRules alertRules(AlertingProperties properties, MeterRegistry registry, MetricHistory history,
                          EndpointContracts endpoints, Upstreams upstreams, AnswerCache answers) {
        Set<String> cached = endpoints.configured().stream().filter(answers::caches).collect(Collectors.toSet());
        return new AlertRules(properties, new Signals(registry, properties.minRequests()), history,
                endpoints.configured(), upstreams.all().keySet(), cached);
    }

    @Bean
    AlertEvaluator alertEvaluator(AlertingProperties properties, AlertRules rules, MetricHistory history,
                                  Silences silences, ObjectProvider<Clock> clock) {
        return new AlertEvaluator(rules.rules(), history, silences, clock.getIfAvailable(Clock::systemUTC),
                properties.repeatEvery(), properties.dashboardUrl(), properties.runbookUrl());
    }

    @Bean
    AlertChannelRoutes alertChannelRoutes(AlertingProperties properties, MeterRegistry registry) {
        return new AlertChannelRoutes(properties, registry);
    }

    @Bean
    AlertDispatcher alertDispatcher(AlertingProperties properties, ProducerTemplate producer, MeterRegistry registry) {
        return new AlertDispatcher(producer, AlertChannelRoutes.queues(properties), registry);
    }

    @Bean
    Alerting alerting(AlertingProperties properties, AlertEvaluator evaluator, AlertDispatcher dispatcher,
                      Silences silences, AlertRules rules, MetricHistory history, MeterRegistry registry) {
        return new Alerting(properties, evaluator, dispatcher, silences, rules.objectives(), history, registry);
    }
}
