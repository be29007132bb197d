package io.podfleet.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection on a blocking socket, one request at a time. For latency figures: the JDK's
 * HttpClient hands each call across its selector and executor threads, which on two busy cores added several
 * milliseconds per call (a trivial GET took 6.8 ms with it and 0.3 ms with wrk), so it measured itself more than
 * the server. Handles Content-Length and chunked bodies, nothing else.
 */
public final class PlainHttp implements AutoCloseable {

    /** Status and body of one answer. */
    public record Answer(int status, String body) {
    }

    private final URI server;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public PlainHttp(URI server, String token) {
        this.server = server;
        this.authorization = "Bearer " + token;
    }

    public Answer send(String method, String path, String json) throws IOException {
        return exchange(method, path, authorization, json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    /** With a bearer token of this call's own (each simulated agent has its credential). */
    public Answer send(String method, String path, String token, byte[] body) throws IOException {
        return exchange(method, path, "Bearer " + token, body);
    }

    private Answer exchange(String method, String path, String authorization, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket(server.getHost(), server.getPort());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 16384);
            out = socket.getOutputStream();
        }
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                + "\r\nAuthorization: " + authorization + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        byte[] start = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(start, start.length + body.length);
        System.arraycopy(body, 0, request, start.length, body.length);
        try {
            // one write, as clients send a small request: head and body written apart went out as two TCP segments
            // (no delay is set), and the server woke twice to read one request
            out.write(request);
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Answer read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (length > 0) {
            body.write(in.readNBytes(length));
        }
        if (closing) {
            close();
        }
        return new Answer(code, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
