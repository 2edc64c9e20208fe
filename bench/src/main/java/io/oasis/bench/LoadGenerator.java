package io.oasis.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Sends requests at a constant rate whatever the server does (open model), or one after the other (sequential).
 * <p>
 * Request {@code i} has the intended send time {@code start + i / rate}; its latency runs from that time to the
 * last byte of the answer, so a server (or this generator) that falls behind shows up as latency instead of as
 * fewer requests. Everything runs on one event loop thread: no locks, little CPU taken from the server.
 * Keep-alive connections carry one request at a time; the pool grows on demand up to its cap.
 */
final class LoadGenerator {

    static final String DEGRADED_HEADER = "Oasis-Degraded";

    private static final AttributeKey<Request> IN_FLIGHT = AttributeKey.valueOf("oasis-bench-in-flight");

    private final Options options;
    private final boolean sequential;
    private final long total;
    private final long firstMeasured;
    private final long timeoutNanos;
    private final String host;
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("bench-loop", true));
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    private final Promise<Run> finished = loop.newPromise();
    private final Tally tally = new Tally();
    /** per measured stage (--rate, then each of --then) */
    private final Tally[] stageTallies;
    /** per second of intended send time in the measured phase: how fast an overload is over */
    private final Tally[] seconds;
    /** index of each stage's first request, its rate, and its intended start after {@code start} */
    private final long[] stageFirst;
    private final double[] stageRate;
    private final long[] stageOffsetNanos;
    private final long measuredNanos;
    /** free keep-alive connections; the most recently used first, so the pool stays as small as the load allows */
    private final Deque<Channel> idle = new ArrayDeque<>();
    /** kinds of failure already explained on stderr: the first cause of each is shown, not thousands */
    private final Set<String> explained = new HashSet<>();

    private int open;
    private int openPeak;
    private long next;
    private long outstanding;
    private long start;
    private long measuredStart;
    private long lastSend;
    private long sendLagMax;
    private Usage before;

    /** The measured phase: its tally, how long it took, and the processes' readings before and after. */
    record Run(Tally tally, long elapsedNanos, long sendLagMaxNanos, int connectionsPeak, Usage before, Usage after,
               List<Tally> stages, List<Tally> seconds) {
    }

    LoadGenerator(Options options) {
        this.options = options;
        this.sequential = options.sequential() > 0;
        this.firstMeasured = sequential ? 0 : Math.round(options.warmup().toNanos() * options.rate() / 1e9);
        List<Options.Stage> stages = sequential ? List.of() : options.stages();
        this.stageTallies = new Tally[stages.size()];
        this.stageFirst = new long[stages.size()];
        this.stageRate = new double[stages.size()];
        this.stageOffsetNanos = new long[stages.size()];
        long first = firstMeasured;
        long offset = options.warmup().toNanos();
        for (int k = 0; k < stages.size(); k++) {
            stageTallies[k] = new Tally();
            stageFirst[k] = first;
            stageRate[k] = stages.get(k).rate();
            stageOffsetNanos[k] = offset;
            first += Math.round(stages.get(k).duration().toNanos() * stages.get(k).rate() / 1e9);
            offset += stages.get(k).duration().toNanos();
        }
        this.measuredNanos = offset - options.warmup().toNanos();
        this.total = sequential ? options.sequential() : first;
        int measuredSeconds = (int) ((measuredNanos + 999_999_999) / 1_000_000_000);
        this.seconds = new Tally[sequential || stages.size() < 2 ? 0 : measuredSeconds];
        for (int w = 0; w < seconds.length; w++) {
            seconds[w] = new Tally();
        }
        this.timeoutNanos = options.timeout().toNanos();
        int port = options.url().getPort() < 0 ? 80 : options.url().getPort();
        this.host = options.url().getHost() + ":" + port;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.timeout().toMillis())
                .remoteAddress(options.url().getHost(), port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Answers());
                    }
                });
    }

    /** Runs warm-up and measured phase, waits for the last answer or timeout, and closes every connection. */
    Run run() throws InterruptedException, ExecutionException, TimeoutException {
        long bound = timeoutNanos
                + (sequential ? (total + 10) * timeoutNanos : options.warmup().toNanos() + measuredNanos);
        try {
            loop.execute(() -> {
                start = System.nanoTime();
                if (sequential) {
                    sendNext();
                } else {
                    pace();
                }
            });
            return finished.get(TimeUnit.NANOSECONDS.toSeconds(bound) + 30, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // Sends every request whose intended time has come (catching up after a late wake-up), then sleeps on the
    // event loop's timer until the next one is due.
    private void pace() {
        long now = System.nanoTime();
        while (next < total && intended(next) <= now) {
            long i = next++;
            send(i, intended(i));
        }
        if (next < total) {
            loop.schedule(this::pace, intended(next) - System.nanoTime(), TimeUnit.NANOSECONDS);
        } else if (outstanding == 0) {
            complete();
        }
    }

    private long intended(long i) {
        int k = stage(i);
        return k < 0 ? start + Math.round(i * 1e9 / options.rate())
                : start + stageOffsetNanos[k] + Math.round((i - stageFirst[k]) * 1e9 / stageRate[k]);
    }

    /** the second of the measured phase in which a request was due */
    private int second(long intendedAt) {
        long second = (intendedAt - start - options.warmup().toNanos()) / 1_000_000_000;
        return (int) Math.max(0, Math.min(seconds.length - 1, second));
    }

    /** the measured stage request {@code i} belongs to; -1 for the warm-up (and in sequential mode) */
    private int stage(long i) {
        for (int k = stageFirst.length - 1; k >= 0; k--) {
            if (i >= stageFirst[k]) {
                return k;
            }
        }
        return -1;
    }

    private void sendNext() {
        send(next++, System.nanoTime());
    }

    private void send(long i, long intendedAt) {
        Request request = new Request(i, intendedAt, i >= firstMeasured);
        long now = System.nanoTime();
        if (i == firstMeasured) {
            measuredStart = intendedAt;
            before = Usage.now(options);
        }
        if (request.measured) {
            tally.sent++;
            int k = stage(i);
            if (k >= 0) {
                stageTallies[k].sent++;
            }
            if (seconds.length > 0) {
                seconds[second(intendedAt)].sent++;
            }
            lastSend = now;
            sendLagMax = Math.max(sendLagMax, now - intendedAt);
        }
        outstanding++;
        request.deadline = loop.schedule(() -> expire(request), intendedAt + timeoutNanos - now,
                TimeUnit.NANOSECONDS);
        Channel channel = idle.pollFirst();
        if (channel != null) {
            write(channel, request);
        } else if (open < options.maxConnections()) {
            open++;
            openPeak = Math.max(openPeak, open);
            bootstrap.connect().addListener((ChannelFuture f) -> connected(f, request));
        } else {
            explain("no connection", new IllegalStateException(open + " connections open, all busy"));
            finish(request, t -> t.noConnection++);
        }
    }

    private void connected(ChannelFuture connect, Request request) {
        if (!connect.isSuccess()) {
            explain("connect error", connect.cause());
            open--;
            if (!request.done) {
                finish(request, t -> t.connectErrors++);
            }
            return;
        }
        Channel channel = connect.channel();
        channel.closeFuture().addListener(f -> closed(channel));
        if (request.done) {
            idle.addFirst(channel);
        } else {
            write(channel, request);
        }
    }

    private void write(Channel channel, Request request) {
        request.channel = channel;
        channel.attr(IN_FLIGHT).set(request);
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                options.target(request.index), Unpooled.EMPTY_BUFFER);
        http.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.ACCEPT, "application/json");
        channel.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void answered(Channel channel, FullHttpResponse response) {
        long now = System.nanoTime();
        Request request = channel.attr(IN_FLIGHT).getAndSet(null);
        if (request == null || request.done) {
            channel.close(); // an answer nobody waits for: the connection is out of step
            return;
        }
        long latency = now - request.intended;
        int status = response.status().code();
        boolean degraded = response.headers().contains(DEGRADED_HEADER);
        boolean retryAfter = response.headers().contains(HttpHeaderNames.RETRY_AFTER);
        if (HttpUtil.isKeepAlive(response)) {
            idle.addFirst(channel);
        } else {
            channel.close();
        }
        finish(request, t -> t.answered(status, degraded, retryAfter, latency));
    }

    private void expire(Request request) {
        if (!request.done) {
            explain("timeout", new IllegalStateException("no answer " + options.timeout() + " after the intended send"
                    + " time" + (request.channel == null ? ", still connecting" : "")));
            finish(request, t -> t.timedOut(timeoutNanos));
            if (request.channel != null) {
                request.channel.close(); // its answer may still come: the connection cannot be reused
            }
        }
    }

    private void closed(Channel channel) {
        open--;
        idle.remove(channel);
        Request request = channel.attr(IN_FLIGHT).getAndSet(null);
        if (request != null && !request.done) {
            explain("closed", new IllegalStateException("connection closed with a request in flight"));
            finish(request, t -> t.closed++);
        }
    }

    private void finish(Request request, Consumer<Tally> outcome) {
        request.done = true;
        request.deadline.cancel(false);
        if (request.measured) {
            outcome.accept(tally);
            int k = stage(request.index);
            if (k >= 0) {
                outcome.accept(stageTallies[k]);
            }
            if (seconds.length > 0) {
                outcome.accept(seconds[second(request.intended)]);
            }
        }
        outstanding--;
        if (next < total) {
            if (sequential) {
                loop.execute(this::sendNext);
            }
        } else if (outstanding == 0) {
            complete();
        }
    }

    private void complete() {
        if (finished.isDone()) {
            return;
        }
        long end = System.nanoTime();
        Usage after = Usage.now(options);
        // a generator that fell behind sent its last request late: the phase lasted longer, the rate was lower
        long elapsed = sequential ? end - measuredStart
                : Math.max(measuredNanos, lastSend - measuredStart);
        finished.setSuccess(new Run(tally, elapsed, sendLagMax, openPeak, before, after, List.of(stageTallies),
                List.of(seconds)));
        List.copyOf(idle).forEach(Channel::close); // a copy: each close removes the channel from idle
    }

    private void explain(String kind, Throwable cause) {
        if (explained.add(kind)) {
            System.err.println("bench: first " + kind + ": " + cause);
        }
    }

    private static final class Request {
        final long index;
        /** System.nanoTime() at which the request should have left */
        final long intended;
        final boolean measured;
        Channel channel;
        ScheduledFuture<?> deadline;
        boolean done;

        Request(long index, long intended, boolean measured) {
            this.index = index;
            this.intended = intended;
            this.measured = measured;
        }
    }

    private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            answered(ctx.channel(), response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            explain("channel exception", cause);
            ctx.close(); // counted as closed when a request was in flight
        }
    }
}
