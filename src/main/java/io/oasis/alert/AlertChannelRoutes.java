package io.oasis.alert;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.WebhookSignature;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.component.slack.SlackEndpoint;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route per channel, {@code alert-channel-<name>}: it takes grouped notifications from the channel's bounded
 * queue (its own thread, so a slow or failing channel never touches requests or other channels), writes them for
 * the channel and delivers them, retried with exponential backoff and jitter; after the last attempt they are
 * counted as failed and logged. Slack through camel-slack, mail through camel-mail; PagerDuty and webhooks are
 * single JSON POSTs, made with the JDK's HTTP client (no component adds anything to a POST).
 * Every delivery starts from no headers at all: nothing of a request (trace headers included) can reach it.
 */
public final class AlertChannelRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AlertChannelRoutes.class);
    private static final String COUNT = "oasisAlertNotifications";

    private final AlertingProperties properties;
    private final MeterRegistry registry;
    private final String source = source();

    public AlertChannelRoutes(AlertingProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.registry = registry;
    }

    /** The queue of each channel, by name. */
    public static Map<String, String> queues(AlertingProperties properties) {
        Map<String, String> queues = new LinkedHashMap<>();
        properties.channels().keySet().forEach(name -> queues.put(name, "seda:alert-" + name + "?size="
                + properties.delivery().queue()));
        return queues;
    }

    @Override
    public void configure() throws Exception {
        AlertingProperties.Delivery delivery = properties.delivery();
        Map<String, String> queues = queues(properties);
        for (Map.Entry<String, AlertingProperties.Channel> entry : properties.channels().entrySet()) {
            String name = entry.getKey();
            AlertingProperties.Channel channel = entry.getValue();
            RouteDefinition route = from(queues.get(name)).routeId("alert-channel-" + name);
            route.onException(Exception.class)
                    .maximumRedeliveries(delivery.attempts() - 1)
                    .redeliveryDelay(delivery.firstDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .maximumRedeliveryDelay(delivery.maxDelay().toMillis())
                    .useCollisionAvoidance()
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .onRedelivery(exchange -> AlertDispatcher.count(registry, name, "retried", 1))
                    .handled(true)
                    .process(exchange -> failed(name, exchange))
                    .end();
            route.removeHeaders("*");
            route.process(e -> e.setProperty(COUNT, notifications(e).size()));
            switch (channel.type().toLowerCase(Locale.ROOT)) {
                case "slack" -> route.process(e -> e.getMessage().setBody(
                        ChannelMessages.slack(notifications(e)))).to(slack(name, channel));
                case "mail" -> route.process(e -> {
                    List<Notification> group = notifications(e);
                    e.getMessage().setHeader("Subject", ChannelMessages.mailSubject(group));
                    e.getMessage().setBody(ChannelMessages.mailBody(group));
                }).to(mail(name, channel));
                case "pagerduty" -> route.split(body()).process(e -> post(channel,
                        ChannelMessages.pagerDuty(e.getMessage().getBody(Notification.class), channel.routingKey(),
                                source), Map.of())).end();
                case "webhook" -> route.process(e -> {
                    String body = ChannelMessages.webhook(notifications(e), source);
                    String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
                    post(channel, body, Map.of(WebhookSignature.TIMESTAMP_HEADER, timestamp,
                            WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(
                                    channel.secret().getBytes(StandardCharsets.UTF_8), timestamp,
                                    body.getBytes(StandardCharsets.UTF_8))));
                });
                default -> throw new IllegalStateException(channel.type());
            }
            route.process(e -> AlertDispatcher.count(registry, name, "sent", e.getProperty(COUNT, Integer.class)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Notification> notifications(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    private void failed(String name, Exchange exchange) {
        Integer counted = exchange.getProperty(COUNT, Integer.class);
        int n = counted == null ? 1 : counted;
        AlertDispatcher.count(registry, name, "failed", n);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("alert channel {}: {} notification(s) not delivered after {} attempts: {}", name, n,
                properties.delivery().attempts(), cause == null ? "?" : cause.toString());
    }

    private Endpoint slack(String name, AlertingProperties.Channel channel) {
        SlackEndpoint endpoint = getContext().getEndpoint("slack:alerts-" + name, SlackEndpoint.class);
        endpoint.setWebhookUrl(channel.url());
        if (channel.channel() != null) {
            endpoint.setChannel(channel.channel());
        }
        endpoint.setUsername("Oasis");
        return endpoint;
    }

    private Endpoint mail(String name, AlertingProperties.Channel channel) throws Exception {
        boolean ssl = channel.tls().equals("ssl");
        MailComponent component = getContext().getComponent(ssl ? "smtps" : "smtp", MailComponent.class);
        // made, not looked up: two channels on one server keep their own settings (and credentials off the URI)
        MailEndpoint endpoint = (MailEndpoint) component.createEndpoint(
                (ssl ? "smtps" : "smtp") + "://" + channel.host() + ":" + channel.port());
        var configuration = endpoint.getConfiguration();
        configuration.setUsername(channel.username());
        configuration.setPassword(channel.password());
        configuration.setFrom(channel.from());
        configuration.setTo(String.join(",", channel.to()));
        configuration.setConnectionTimeout((int) channel.timeout().toMillis());
        Properties mail = new Properties();
        mail.put("mail.smtp.timeout", String.valueOf(channel.timeout().toMillis()));
        mail.put("mail.smtp.writetimeout", String.valueOf(channel.timeout().toMillis()));
        mail.put("mail.smtps.timeout", String.valueOf(channel.timeout().toMillis()));
        if (channel.tls().equals("starttls")) {
            mail.put("mail.smtp.starttls.enable", "true");
            mail.put("mail.smtp.starttls.required", "true");
        }
        if (!channel.tls().equals("none")) {
            String protocol = ssl ? "smtps" : "smtp";
            mail.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            if (channel.trustStore() != null && !channel.trustStore().isBlank()) {
                configuration.setSslContextParameters(trusting(name, channel));
            }
        }
        configuration.setAdditionalJavaMailProperties(mail);
        return endpoint;
    }

    /** TLS that trusts the certificates of the channel's trust store (PKCS12), for a mail server with a private CA. */
    private SSLContextParameters trusting(String name, AlertingProperties.Channel channel) {
        Path file = Path.of(channel.trustStore());
        if (!Files.isReadable(file)) {
            throw new ConfigurationException("oasis.alerting.channels." + name + ".trust-store", channel.trustStore(),
                    "no readable file there", "Give the path of a PKCS12 file and its trust-store-password.");
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setCamelContext(getContext());
        store.setResource("file:" + file.toAbsolutePath());
        store.setType("PKCS12");
        store.setPassword(channel.trustStorePassword());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setCamelContext(getContext());
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setCamelContext(getContext());
        tls.setTrustManagers(trust);
        return tls;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().build();

    private static void post(AlertingProperties.Channel channel, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channel.url())).timeout(channel.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode() + " from " + URI.create(channel.url()).getHost());
        }
    }

    private static String source() {
        try {
            return "oasis@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "oasis";
        }
    }
}
