package io.oasis.demo;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.oasis.config.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated upstream services: profile, orders, recommendations, cart, loyalty and tier-recommendations on one
 * port, each under its own path prefix, with its latency and injectable faults. Answers are scheduled on the event
 * loop's timer, so a thousand waiting requests hold no thread.
 * <p>
 * Faults at run time: {@code POST /_faults/<service>?error-rate=0.5&added-latency=200ms&error-status=503},
 * {@code GET /_faults} to see them, {@code DELETE /_faults} to restore the configuration.
 */
public final class DemoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);

    /** The classic dashboard's latencies, for services the configuration does not mention. */
    public static final Map<String, Duration> CLASSIC_LATENCIES = Map.of(
            "profile", Duration.ofMillis(50), "orders", Duration.ofMillis(80), "recommendations", Duration.ofMillis(60),
            "cart", Duration.ofMillis(40), "loyalty", Duration.ofMillis(30), "tier-recommendations", Duration.ofMillis(40));

    private final DemoProperties properties;
    private final Map<String, DemoProperties.Service> faults = new java.util.concurrent.ConcurrentHashMap<>();
    private final EventLoopGroup loop;
    private final Channel server;

    public DemoServer(DemoProperties properties) throws InterruptedException {
        this.properties = properties;
        properties.services().forEach((name, service) -> {
            if (!DemoData.SERVICES.containsKey(name)) {
                throw new ConfigurationException("oasis.demo.services." + name, name, "the demo has no such service",
                        "Use one of " + DemoData.SERVICES.keySet() + ".");
            }
            if (service.errorRate() < 0 || service.errorRate() > 1) {
                throw new ConfigurationException("oasis.demo.services." + name + ".error-rate", service.errorRate(),
                        "must be between 0 and 1", "E.g. 0.1 fails one request in ten.");
            }
        });
        reset();
        loop = new NioEventLoopGroup(1, new DefaultThreadFactory("oasis-demo-upstreams", true));
        server = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                                new Handler());
                    }
                })
                .bind(properties.host(), properties.port()).sync().channel();
        LOG.info("Demo upstreams on http://{}:{}/ {}", properties.host(), port(), DemoData.SERVICES.keySet());
    }

    /** The bound port (the configured one, or the one the OS chose for port 0). */
    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void reset() {
        faults.clear();
        for (String name : DemoData.SERVICES.keySet()) {
            DemoProperties.Service configured = properties.services().get(name);
            Duration classic = CLASSIC_LATENCIES.get(name);
            faults.put(name, configured == null ? new DemoProperties.Service(classic, Duration.ZERO, 0, 500)
                    : configured.latency() != null ? configured
                    : new DemoProperties.Service(classic, configured.addedLatency(), configured.errorRate(),
                            configured.errorStatus()));
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            List<String> segments = Arrays.stream(uri.path().split("/")).filter(s -> !s.isEmpty()).toList();
            if (segments.isEmpty()) {
                write(ctx, HttpResponseStatus.NOT_FOUND, "{\"error\":\"no service\"}", keepAlive);
                return;
            }
            String name = segments.get(0);
            if (name.equals("_faults")) {
                control(ctx, request.method(), segments, uri.parameters(), keepAlive);
                return;
            }
            BiFunction<List<String>, Map<String, List<String>>, String> service = DemoData.SERVICES.get(name);
            DemoProperties.Service behaviour = faults.get(name);
            if (service == null || request.method() != HttpMethod.GET) {
                write(ctx, HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such resource\"}", keepAlive);
                return;
            }
            String body = service.apply(segments.subList(1, segments.size()), uri.parameters());
            HttpResponseStatus status = body == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK;
            if (behaviour.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < behaviour.errorRate()) {
                status = HttpResponseStatus.valueOf(behaviour.errorStatus());
                body = "{\"error\":\"injected\"}";
            } else if (body == null) {
                body = "{\"error\":\"not found\"}";
            }
            long delay = behaviour.latency().toMillis() + behaviour.addedLatency().toMillis();
            HttpResponseStatus answer = status;
            String json = body;
            ctx.executor().schedule(() -> write(ctx, answer, json, keepAlive), delay, TimeUnit.MILLISECONDS);
        }

        private void control(ChannelHandlerContext ctx, HttpMethod method, List<String> segments,
                             Map<String, List<String>> query, boolean keepAlive) {
            if (method == HttpMethod.DELETE) {
                reset();
            } else if (method == HttpMethod.POST && segments.size() == 2 && faults.containsKey(segments.get(1))) {
                DemoProperties.Service now = faults.get(segments.get(1));
                try {
                    faults.put(segments.get(1), new DemoProperties.Service(
                            duration(query, "latency", now.latency()),
                            duration(query, "added-latency", now.addedLatency()),
                            Double.parseDouble(first(query, "error-rate", Double.toString(now.errorRate()))),
                            Integer.parseInt(first(query, "error-status", Integer.toString(now.errorStatus())))));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    write(ctx, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"bad fault parameter\"}", keepAlive);
                    return;
                }
            } else if (method != HttpMethod.GET) {
                write(ctx, HttpResponseStatus.NOT_FOUND, "{\"error\":\"POST /_faults/<service>?... or DELETE /_faults\"}",
                        keepAlive);
                return;
            }
            Map<String, String> shown = new LinkedHashMap<>();
            faults.forEach((k, v) -> shown.put(k, "latency=" + v.latency().toMillis() + "ms added-latency="
                    + v.addedLatency().toMillis() + "ms error-rate=" + v.errorRate() + " error-status=" + v.errorStatus()));
            StringBuilder json = new StringBuilder("{");
            shown.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                    .append(v).append('"'));
            write(ctx, HttpResponseStatus.OK, json.append('}').toString(), keepAlive);
        }

        private void write(ChannelHandlerContext ctx, HttpResponseStatus status, String json, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(DemoData.bytes(json)));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static String first(Map<String, List<String>> query, String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static Duration duration(Map<String, List<String>> query, String name, Duration fallback) {
        String value = first(query, name, null);
        if (value == null) {
            return fallback;
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return Duration.ofMillis(Long.parseLong(value));
    }
}
