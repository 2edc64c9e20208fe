package io.oasis.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.oasis.testkit.OasisIT;
import io.oasis.testkit.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static io.oasis.testkit.AnswerAssert.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests too large or too slow to be honest: refused before they are read, in problem+json or by closing the
 * connection, counted; other clients unaffected.
 */
@TestPropertySource(properties = "oasis.request-limits.head-timeout=1s")
class RequestLimitsIT extends OasisIT {

    private String raw(String head) {
        return RawHttp.exchange(port, head);
    }

    private double refused(String reason) {
        String metrics = get("/actuator/prometheus").body();
        String line = metrics.lines().filter(l -> l.startsWith("oasis_requests_refused_total{reason=\"" + reason))
                .findFirst().orElse("x 0");
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void body_announcedLargerThanTheLimit_is413BeforeItIsSent_andTheConnectionCloses() throws IOException {
        double before = refused("body-too-large");

        // 10 MB announced, none sent: the answer comes anyway, so nothing waited for the body
        String answer = raw("GET /api/dashboard?userId=42 HTTP/1.1\r\nHost: oasis\r\nContent-Type: application/json"
                + "\r\nContent-Length: 10485760\r\n\r\n{");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("Connection: close")
                .contains("application/problem+json").contains("\"type\":\"urn:oasis:problem:body-too-large\"");
        assertThat(refused("body-too-large")).isEqualTo(before + 1);
        assertThatAnswer(get("/api/dashboard?userId=42")).isOk();
    }

    @Test
    void body_ofUnknownLength_is413() throws IOException {
        String answer = raw("GET /api/dashboard?userId=42 HTTP/1.1\r\nHost: oasis\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("urn:oasis:problem:body-too-large");
    }

    @Test
    void headers_largerThanTheServerAccepts_are400ProblemAndCounted_andOthersAreServed() {
        double before = refused("header-too-large");

        HttpResponse<String> answer = send(request("/api/dashboard?userId=42").header("X-Padding", "a".repeat(20_000))
                .GET().build());

        assertThatAnswer(answer).isProblem(400, "urn:oasis:problem:header-too-large");
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("Tomcat");
        assertThat(refused("header-too-large")).isEqualTo(before + 1);
        assertThatAnswer(get("/api/dashboard?userId=42")).isOk();
    }

    @Test
    void requestLine_longerThanTheServerAccepts_is400Problem() {
        HttpResponse<String> answer = get("/api/dashboard?userId=42&q=" + "x".repeat(20_000));

        assertThatAnswer(answer).isProblem(400, "urn:oasis:problem:header-too-large");
    }

    @Test
    void slowClient_sendingItsHeadAByteAtATime_isDisconnectedAtTheHeadTimeout_andOthersAreServed() throws Exception {
        double before = refused("slow-head");
        // never complete (no blank line), and long enough to be dripping still when the timeout and its sweep come
        byte[] head = ("GET /api/dashboard?userId=42 HTTP/1.1\r\nHost: oasis\r\nX-Padding: " + "a".repeat(4000))
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        boolean closed = false;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < head.length && !closed; i++) {
                out.write(head[i]);
                out.flush();
                assertThatAnswer(get("/api/dashboard?userId=7")).isOk();
                try {
                    closed = in.read() < 0;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing from the server yet
                } catch (IOException reset) {
                    closed = true;
                }
            }
        } catch (IOException reset) {
            closed = true;
        }

        assertThat(closed).as("disconnected before the head was complete").isTrue();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(refused("slow-head")).isEqualTo(before + 1);
    }
}
