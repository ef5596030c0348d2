package com.replyhero.whatsapp.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client will not send (a raw {@code #}, {@code \} or non-ASCII
 * byte in a path, a body that trickles or stops) and from a chosen loopback address (any of 127.0.0.0/8), so a
 * test can be several senders.
 */
public final class RawHttp {

    private RawHttp() {}

    /** A connection to the gateway on {@code port} from {@code fromAddress} (e.g. 127.0.0.7). */
    public static Socket connect(int port, String fromAddress) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(10_000);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the request's bytes as they are and answers all the server sent until it closed the connection. */
    public static String exchange(int port, String fromAddress, byte[] request) {
        try (Socket socket = connect(port, fromAddress)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A POST with a complete body and {@code Connection: close}; {@code headers} as "Name: value" lines. */
    public static byte[] post(String path, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(bytes);
        return request.toByteArray();
    }

    /** What the server sent until it closed the connection (or stopped sending for the socket's timeout). */
    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) != -1; ) {
                answer.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // what arrived so far is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /**
     * One answer: read up to the end of its body (its Content-Length, or the last chunk), not until the connection
     * closes, for a server that reads on after answering (Tomcat reads the rest of an unread body before it closes).
     */
    public static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; !isWhole(answer.toString(StandardCharsets.UTF_8)) && (n = in.read(chunk)) != -1; ) {
                answer.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // what arrived so far is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static boolean isWhole(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = answer.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        if (head.contains("transfer-encoding: chunked")) {
            return answer.endsWith("\r\n0\r\n\r\n");
        }
        int at = head.indexOf("content-length: ");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(
                head.substring(at + 16).lines().findFirst().orElseThrow().strip());
        return answer.getBytes(StandardCharsets.UTF_8).length - end - 4 >= length;
    }

    /** The status code of an answer's status line, or -1 when nothing came. */
    public static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    /** The body of an answer (after the blank line that ends its head). */
    public static String body(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? "" : answer.substring(end + 4);
    }
}
