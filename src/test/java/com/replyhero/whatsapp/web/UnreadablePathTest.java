package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths the connector itself cannot read (an undecodable escape, a raw {@code \}, {@code #} or non-ASCII byte),
 * sent as raw bytes because an HTTP client will not send them. Tomcat refuses them before any filter runs, in the
 * one error shape; the built-in sandbox is on in these tests, so its connection-level valve sees them too.
 */
class UnreadablePathTest extends GatewayTest {

    @Test
    void aPathTheServerCannotReadIsA400InvalidPathNeverA500() {
        List<String> answered = new ArrayList<>();

        for (String method : new String[] {"GET", "POST"}) {
            for (byte[] path : unreadablePaths()) {
                String answer = RawHttp.exchange(port(), "127.0.0.1", request(method, path));
                String line = method + " " + new String(path, StandardCharsets.ISO_8859_1) + ": "
                        + answer.lines().findFirst().orElse("no answer");
                if (RawHttp.status(answer) != 400 || !RawHttp.body(answer).contains("\"code\":\"invalid_path\"")) {
                    answered.add(line);
                }
            }
        }

        assertThat(answered).as("answered other than 400 invalid_path").isEmpty();
    }

    private static List<byte[]> unreadablePaths() {
        List<byte[]> paths = new ArrayList<>();
        for (String prefix : new String[] {"/sandbox/graph/v21.0/100000000000001", "/webhooks/meta", "/admin/orgs"}) {
            paths.add(ascii(prefix + "/%ZZ"));
            paths.add(ascii(prefix + "/%ZZ/messages"));
            paths.add(ascii(prefix + "/a\\b/messages"));
            paths.add(ascii(prefix + "/a#b/messages"));
            paths.add(ascii(prefix + "\\messages"));
            ByteArrayOutputStream nonAscii = new ByteArrayOutputStream();
            nonAscii.writeBytes(ascii(prefix + "/caf"));
            nonAscii.writeBytes(new byte[] {(byte) 0xC3, (byte) 0xA9});
            nonAscii.writeBytes(ascii("/messages"));
            paths.add(nonAscii.toByteArray());
        }
        return paths;
    }

    private static byte[] request(String method, byte[] path) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(ascii(method + " "));
        request.writeBytes(path);
        request.writeBytes(ascii(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}"));
        return request.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }
}
