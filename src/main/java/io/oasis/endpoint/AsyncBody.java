package io.oasis.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A request body read without holding a thread (Servlet non-blocking I/O): the container calls back as bytes arrive,
 * so a client that drips its body costs a buffer, not a thread. The request must be in async mode; at most
 * {@code max} bytes are kept (the body filter refused longer announcements already).
 */
final class AsyncBody implements ReadListener {

    private final ServletInputStream in;
    private final int max;
    private final Consumer<byte[]> then;
    private final Consumer<Throwable> failed;
    private final ByteArrayOutputStream body;
    private final byte[] buffer = new byte[4096];

    private AsyncBody(ServletInputStream in, int expected, int max, Consumer<byte[]> then, Consumer<Throwable> failed) {
        this.in = in;
        this.max = max;
        this.then = then;
        this.failed = failed;
        this.body = new ByteArrayOutputStream(Math.min(expected, max));
    }

    /** Reads the body, then calls {@code then} with it (on a container thread), or {@code failed}, once. */
    static void read(HttpServletRequest request, int max, Consumer<byte[]> then, Consumer<Throwable> failed)
            throws IOException {
        int expected = (int) Math.min(max, Math.max(0, request.getContentLengthLong()));
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new AsyncBody(in, expected, max, then, failed));
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            if (body.size() + n > max) {
                throw new IOException("the body is longer than " + max + " bytes");
            }
            body.write(buffer, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        then.accept(body.toByteArray());
    }

    @Override
    public void onError(Throwable error) {
        failed.accept(error);
    }
}
