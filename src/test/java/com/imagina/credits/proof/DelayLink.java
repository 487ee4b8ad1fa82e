package com.imagina.credits.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A slow network link between a standby and its primary, for the asynchronous failover run: a TCP
 * proxy on a local port of its own that hands every byte from the primary to the standby
 * {@code delayMillis} later (the other direction at once). When the primary's side ends (the machine
 * is lost) what is still on the wire is dropped with it: a standby promoted then has only what arrived.
 */
final class DelayLink implements AutoCloseable {
    private record Chunk(long dueNanos, byte[] bytes) {}

    final int port;
    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private volatile boolean closed;

    DelayLink(int targetPort, long delayMillis) throws IOException {
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = server.getLocalPort();
        daemon(this::accept);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket standby = server.accept();
                Socket primary;
                try {
                    primary = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    standby.close();
                    continue;
                }
                standby.setTcpNoDelay(true);
                primary.setTcpNoDelay(true);
                daemon(() -> pump(standby, primary, 0));
                daemon(() -> pump(primary, standby, delayNanos));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /** Copies {@code from} to {@code to}, each chunk {@code delay} after it was read; closes both at the end. */
    private static void pump(Socket from, Socket to, long delay) {
        LinkedBlockingQueue<Chunk> wire = new LinkedBlockingQueue<>();
        Chunk end = new Chunk(0, new byte[0]);
        Thread writer = daemon(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = wire.take();
                    if (c == end) return;
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // the link's latency, not a synchronisation
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side is gone
            } finally {
                closeQuietly(to);
                closeQuietly(from);
            }
        });
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                wire.add(new Chunk(System.nanoTime() + delay, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            // reset
        }
        // From the primary, the end is the machine lost: what is still on the wire is lost with it.
        if (delay > 0) writer.interrupt();
        else wire.add(end);
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "delay-link");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
