package com.imagina.credits.proof;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare TCP connection to the service, for clients no HTTP library would be: a body that never comes,
 * comes a byte at a time, or is far larger than it should be. Writes exactly what it is told; reads the
 * answer head (status line and headers) and whatever body follows until the server closes or goes quiet.
 */
final class RawSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawSocket(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** A request head; {@code headers} are complete lines without the CRLF. */
    void head(String method, String path, String... headers) throws IOException {
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) h.append(header).append("\r\n");
        h.append("\r\n");
        send(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One chunk of a chunked body (an empty one ends it). */
    void chunk(byte[] bytes) throws IOException {
        send((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        send("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The answer as text (head and body), read until the server closes or {@code quiet} passes without a byte. */
    String answer(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                got.write(buffer, 0, n);
                String text = got.toString(StandardCharsets.UTF_8);
                if (complete(text)) break;
            }
        } catch (SocketTimeoutException e) {
            // quiet for long enough: what came is the answer (or nothing)
        } catch (IOException e) {
            // reset by the server after it answered: what came is the answer
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** True once the server has closed its side (a read returns end of stream within {@code wait}). */
    boolean closedByServer(Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            byte[] buffer = new byte[4096];
            while (true) {
                if (in.read(buffer) < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** A head followed by a body of its Content-Length, or a body ending with a closing brace. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        String head = text.substring(0, end).toLowerCase();
        int cl = head.indexOf("content-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl);
            long length = Long.parseLong(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
            return text.getBytes(StandardCharsets.UTF_8).length - end - 4 >= length;
        }
        return text.endsWith("}") || text.endsWith("0\r\n\r\n");
    }

    static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
