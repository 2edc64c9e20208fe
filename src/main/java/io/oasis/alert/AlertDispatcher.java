package io.oasis.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the notifications of one evaluation to their channels: one message per channel with every notification
 * for it (grouped), onto the channel's bounded queue. Never waits: a full queue drops the message and counts it.
 */
public final class AlertDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    private final ProducerTemplate producer;
    private final Map<String, String> queues;
    private final MeterRegistry registry;

    /** @param queues channel name -> the Camel endpoint URI of its queue */
    public AlertDispatcher(ProducerTemplate producer, Map<String, String> queues, MeterRegistry registry) {
        this.producer = producer;
        this.queues = queues;
        this.registry = registry;
    }

    public void dispatch(List<Notification> notifications) {
        Map<String, List<Notification>> byChannel = new LinkedHashMap<>();
        for (Notification notification : notifications) {
            for (String channel : notification.channels()) {
                byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(notification);
            }
        }
        byChannel.forEach((channel, group) -> {
            try {
                producer.sendBody(queues.get(channel), List.copyOf(group));
            } catch (RuntimeException e) {
                count(registry, channel, "dropped", group.size());
                LOG.error("alert channel {}: queue full, {} notification(s) dropped ({})", channel, group.size(),
                        group.stream().map(Notification::alert).toList());
            }
        });
    }

    static void count(MeterRegistry registry, String channel, String result, int n) {
        Counter.builder(OasisMetrics.ALERT_NOTIFICATIONS).tag(OasisMetrics.TAG_CHANNEL, channel)
                .tag(OasisMetrics.TAG_RESULT, result).description("alert notifications by channel and result")
                .register(registry).increment(n);
    }
}
