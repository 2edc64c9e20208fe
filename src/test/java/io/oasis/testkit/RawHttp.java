package io.oasis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket, for what no well-behaved client sends: a body announced and never sent,
 * one sent a byte at a time, one far larger than its limit.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawHttp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the head of a request (and no more), returns the server's answer as soon as its JSON body is whole. */
    public static String exchange(int port, String head) {
        try (RawHttp raw = new RawHttp(port)) {
            raw.write(head.getBytes(StandardCharsets.US_ASCII));
            return raw.answer();
        }
    }

    /** Writes bytes; false when the server has closed the connection (or reset it). */
    public boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Writes {@code total} bytes of zeros in chunks until done or the server stops reading; how many went out. */
    public long stream(long total) {
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(chunk.length, total - sent);
            if (!write(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n))) {
                break;
            }
            sent += n;
        }
        return sent;
    }

    /** The answer up to the end of its JSON body, or what came before the connection closed. */
    public String answer() {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                int body = answer.indexOf("\r\n\r\n{");
                if (body > 0 && answer.indexOf("}", body) > 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed or reset: what came before is the answer
        }
        return answer.toString();
    }

    /** Whether the server has closed the connection: waits at most {@code millis} for it to say so. */
    public boolean closedByServer(int millis) {
        try {
            socket.setSoTimeout(millis);
            byte[] buffer = new byte[4096];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // gone already
        }
    }
}
