package dev.pulse.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.EventBodies;
import dev.pulse.support.PulseIT;
import dev.pulse.support.RecentDay;
import dev.pulse.support.TestCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An error answered before the request's body was read closes the connection (RFC 9112 §9.3; reused, such a
 * connection hung now and then), while a body read to its end keeps it open for the next request. Spoken over a raw
 * socket, so that what the server does with the connection is seen, not what a client library makes of it.
 */
class UnreadBodyConnectionIT extends PulseIT {

    private static final String JSON_BODY = "{\"action_type\":\"acknowledged\"}";

    @Test
    void shouldCloseTheConnectionAfterAnErrorThatLeftTheBodyUnread() throws Exception {
        for (Request refused : new Request[] {
                new Request("POST", "/api/no-such-endpoint", "application/json", JSON_BODY, TestCredentials.adminAuthorization()),
                new Request("POST", "/api/events", "text/plain", "not an event", TestCredentials.adminAuthorization()),
                new Request("POST", "/api/events", "application/json", EventBodies.login(uniqueId("e"), uniqueFamily("f"),
                        RecentDay.at("09:00:00")), "Bearer not-a-token")}) {
            try (Socket socket = connect()) {
                Response response = exchange(socket, refused);
                assertThat(response.status()).as(refused.toString()).isBetween(400, 499);
                assertThat(response.header("connection")).as(refused.toString()).isEqualToIgnoringCase("close");
                assertThat(closedByServer(socket)).as("the server closed the connection after " + refused).isTrue();
            }
        }
    }

    @Test
    void shouldKeepTheConnectionAfterAnAnswerToABodyReadToItsEnd() throws Exception {
        String family = uniqueFamily("keep-alive");
        try (Socket socket = connect()) {
            Response accepted = exchange(socket, new Request("POST", "/api/events", "application/json",
                    EventBodies.login(uniqueId("e"), family, RecentDay.at("09:00:00")), TestCredentials.adminAuthorization()));
            assertThat(accepted.status()).isBetween(200, 299);
            assertThat(accepted.header("connection")).isNotEqualToIgnoringCase("close");

            // Malformed JSON is refused after the body was read: nothing to drain, so the connection stays.
            Response malformed = exchange(socket, new Request("POST", "/api/events", "application/json", "{\"event_id\": ",
                    TestCredentials.adminAuthorization()));
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.header("connection")).isNotEqualToIgnoringCase("close");

            Response third = exchange(socket, new Request("GET", "/api/rules", null, null, TestCredentials.adminAuthorization()));
            assertThat(third.status()).as("a third request on the same connection").isEqualTo(200);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private record Request(String method, String path, String contentType, String body, String authorization) {
    }

    private record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private static Response exchange(Socket socket, Request request) throws IOException {
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Authorization: ").append(request.authorization()).append("\r\n")
                .append("Accept: application/json\r\n");
        if (request.body() != null) {
            head.append("Content-Type: ").append(request.contentType()).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return read(socket.getInputStream());
    }

    /** One response: status line, headers, and a body framed by Content-Length or chunked encoding. */
    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-response after '" + line + "'");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Whether the server ended the connection: end of stream (or a reset) instead of a wait. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
