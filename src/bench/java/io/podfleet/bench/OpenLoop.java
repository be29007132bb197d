package io.podfleet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Open-loop HTTP load from one thread: calls due at a fixed rate over non-blocking keep-alive HTTP/1.1 connections
 * and one selector. Each call may be followed, on the same connection, by one more request made from its answer
 * (an acquire by its release); only the first is timed, from when it was due, so calls held up by a busy server or
 * by no free connection count the wait. One thread instead of a thread per connection because this client shares
 * the machine's two cores with the server it measures: with 64 blocking connections it took about a quarter of them
 * at 1,600 calls/s, two thread wake-ups per request. Handles Content-Length and chunked bodies, nothing else.
 */
public final class OpenLoop {

    /** A request to send: method, path and an optional JSON body. */
    public record Request(String method, String path, String json) {
    }

    /** What the load does: the timed call for number {@code i}, and what follows an answer (null: nothing). */
    public interface Script {
        Request call(long i);

        Request then(int status, String body);
    }

    /** Told of every timed call's answer (or failure, status 0) and every follow-up's. */
    public interface Outcomes {
        /** {@code sentNanos}: when it went out (after its due time when no connection was free). */
        void timed(long i, long dueNanos, long sentNanos, long answeredNanos, int status);

        /** {@code readyNanos}: when its timed call's answer came, so it was ready to send. */
        void followed(int status, long readyNanos, long answeredNanos);
    }

    private final URI server;
    private final byte[] authorization;

    public OpenLoop(URI server, String token) {
        this.server = server;
        this.authorization = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code total} calls, the i-th due at {@code startNanos + i * 1e9 / perSecond}; returns after all answers. */
    /**
     * Calls of the last run sent more than 2 ms after their due time: every connection was still busy, or this
     * client's thread was not running when they fell due.
     */
    public long sentLate() {
        return sentLate;
    }

    private long sentLate;

    public void run(int connections, int perSecond, long total, long startNanos, Script script, Outcomes outcomes) throws IOException {
        sentLate = 0;
        long interval = 1_000_000_000L / perSecond;
        try (Selector selector = Selector.open()) {
            ArrayDeque<Connection> free = new ArrayDeque<>();
            for (int c = 0; c < connections; c++) {
                free.add(open(selector));
            }
            long sent = 0;
            int busy = 0;
            while (sent < total || busy > 0) {
                long now = System.nanoTime();
                while (sent < total && startNanos + sent * interval <= now && !free.isEmpty()) {
                    Connection c = free.poll();
                    c.index = sent;
                    c.due = startNanos + sent * interval;
                    if (now - c.due > 2_000_000L) {
                        sentLate++; // due more than 2 ms ago: no connection was free, or this thread was held up
                    }
                    c.timed = true;
                    sent++;
                    busy++;
                    c.sent = System.nanoTime();
                    if (!send(c, script.call(c.index))) {
                        outcomes.timed(c.index, c.due, c.sent, System.nanoTime(), 0);
                        busy--;
                        free.add(reopen(c, selector));
                    }
                }
                long wait = sent < total && !free.isEmpty() ? startNanos + sent * interval - System.nanoTime() : 100_000_000L;
                if (wait <= 0) {
                    selector.selectNow();
                } else {
                    // milliseconds are the selector's grain: a call may go out up to 1 ms after it was due, which its
                    // latency (measured from the due time) includes
                    selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    Connection c = (Connection) key.attachment();
                    Answer answer;
                    try {
                        answer = c.read();
                    } catch (IOException e) {
                        answer = new Answer(0, "", true);
                    }
                    if (answer == null) {
                        continue; // not all of it yet
                    }
                    long answered = System.nanoTime();
                    Request next = null;
                    if (c.timed) {
                        outcomes.timed(c.index, c.due, c.sent, answered, answer.status());
                        if (answer.status() != 0) {
                            next = script.then(answer.status(), answer.body());
                        }
                    } else {
                        outcomes.followed(answer.status(), c.ready, answered);
                    }
                    c.timed = false;
                    if (answer.closing() && next != null) {
                        c = reopen(c, selector); // the follow-up goes on a new connection
                    }
                    c.ready = answered;
                    if (answer.status() == 0) {
                        busy--;
                        free.add(reopen(c, selector));
                    } else if (next != null && send(c, next)) {
                        continue; // busy with the follow-up
                    } else {
                        if (next != null) {
                            outcomes.followed(0, answered, System.nanoTime());
                        }
                        busy--;
                        free.add(next == null && !answer.closing() ? c : reopen(c, selector));
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
    }

    private Connection open(Selector selector) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(server.getHost(), server.getPort()));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        Connection c = new Connection(channel);
        channel.register(selector, SelectionKey.OP_READ, c);
        return c;
    }

    private Connection reopen(Connection c, Selector selector) throws IOException {
        c.channel.close();
        return open(selector);
    }

    /** Writes the whole request (one segment: a small request fits the socket's buffer at once); false if it failed. */
    private boolean send(Connection c, Request r) {
        byte[] body = r.json() == null ? new byte[0] : r.json().getBytes(StandardCharsets.UTF_8);
        String head = r.method() + " " + r.path() + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nAuthorization: ";
        byte[] start = head.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(start.length + authorization.length + 4 + body.length);
        out.put(start).put(authorization).put((byte) '\r').put((byte) '\n').put((byte) '\r').put((byte) '\n').put(body).flip();
        try {
            while (out.hasRemaining()) {
                c.channel.write(out);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code closing}: the server said it closes the connection after this answer (Tomcat does every 100 requests). */
    private record Answer(int status, String body, boolean closing) {
    }

    private static final class Connection {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(16384);
        long index;
        long due;
        long sent;
        /** When the follow-up it carries became ready to send: when its timed call's answer came. */
        long ready;
        boolean timed;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** Reads what arrived; the answer once it is whole, else null. */
        Answer read() throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("closed by the server");
            }
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            byte[] b = in.array();
            int n = in.position();
            int headEnd = indexOf(b, n, 0, "\r\n\r\n");
            if (headEnd < 0) {
                return null;
            }
            String head = new String(b, 0, headEnd, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(head.substring(9, 12));
            int bodyStart = headEnd + 4;
            String lower = head.toLowerCase();
            int end;
            int length = header(lower, "content-length:");
            if (length >= 0) {
                end = bodyStart + length;
                if (n < end) {
                    return null;
                }
            } else if (lower.contains("transfer-encoding: chunked")) {
                int last = indexOf(b, n, bodyStart, "\r\n0\r\n\r\n");
                if (last < 0 && !(n - bodyStart >= 5 && indexOf(b, n, bodyStart, "0\r\n\r\n") == bodyStart)) {
                    return null;
                }
                end = last < 0 ? bodyStart + 5 : last + 7;
            } else {
                end = bodyStart;
            }
            String body = new String(dechunk(b, bodyStart, end, length < 0), StandardCharsets.UTF_8);
            // keep what came after this answer (nothing, with one request at a time)
            byte[] rest = Arrays.copyOfRange(b, end, n);
            in.clear();
            in.put(rest);
            return new Answer(status, body, lower.contains("connection: close"));
        }

        private static int header(String lowerHead, String name) {
            int at = lowerHead.indexOf(name);
            if (at < 0) {
                return -1;
            }
            int eol = lowerHead.indexOf("\r\n", at);
            return Integer.parseInt(lowerHead.substring(at + name.length(), eol < 0 ? lowerHead.length() : eol).trim());
        }

        private static byte[] dechunk(byte[] b, int from, int to, boolean chunked) {
            if (!chunked) {
                return Arrays.copyOfRange(b, from, to);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int at = from;
            while (at < to) {
                int eol = indexOf(b, to, at, "\r\n");
                int size = Integer.parseInt(new String(b, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                out.write(b, eol + 2, size);
                at = eol + 2 + size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOf(byte[] b, int n, int from, String what) {
            outer:
            for (int i = from; i <= n - what.length(); i++) {
                for (int k = 0; k < what.length(); k++) {
                    if (b[i + k] != what.charAt(k)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
