package io.oasis.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.util.ByteArrayBuffer;

/**
 * An upstream's answer: status, Retry-After, and the body bytes, read into one buffer that {@code readTree} parses
 * in place. The body is refused beyond the upstream's max-body-size, on its Content-Length before any byte is read,
 * or as soon as the bytes read pass it: an oversized answer fails its call and never fills the heap.
 */
public record UpstreamAnswer(int status, String retryAfter, byte[] body, int length) {

    /** The body went past max-body-size; the connection is closed. */
    public static final class TooLarge extends IOException {

        TooLarge(long limit) {
            super("answer larger than " + limit + " bytes", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    static final class Consumer extends AbstractBinResponseConsumer<UpstreamAnswer> {

        private final int limit;
        private HttpResponse response;
        private ByteArrayBuffer buffer;

        Consumer(int limit) {
            this.limit = limit;
        }

        @Override
        protected void start(HttpResponse response, ContentType contentType) throws IOException {
            this.response = response;
            Header length = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = -1;
            if (length != null) {
                try {
                    declared = Long.parseLong(length.getValue().trim());
                } catch (NumberFormatException ignored) {
                    declared = -1;
                }
            }
            if (declared > limit) {
                throw new TooLarge(limit);
            }
            this.buffer = new ByteArrayBuffer(declared >= 0 ? (int) declared : 1024);
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            if (buffer.length() + src.remaining() > limit) {
                throw new TooLarge(limit);
            }
            buffer.append(src);
        }

        @Override
        protected UpstreamAnswer buildResult() {
            Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
            ByteArrayBuffer body = buffer != null ? buffer : new ByteArrayBuffer(0);
            return new UpstreamAnswer(response.getCode(), retryAfter == null ? null : retryAfter.getValue(),
                    body.array(), body.length());
        }

        @Override
        public void releaseResources() {
            buffer = null;
        }
    }
}
