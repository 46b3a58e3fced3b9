package io.osprey.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a real server, to cut a dependency away and bring it back:
 * {@link #cut()} drops every open connection and refuses new ones; {@link #freeze()} keeps every connection open
 * and takes new ones but passes no byte on, as a server that stopped answering (paused, or cut off by a network
 * that drops packets); {@link #restore()} passes bytes and accepts again.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private boolean frozen;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    public synchronized void freeze() {
        frozen = true;
    }

    public synchronized void restore() {
        cut = false;
        thaw();
    }

    private synchronized void thaw() {
        frozen = false;
        notifyAll();
    }

    private synchronized void awaitFlowing() throws IOException {
        try {
            while (frozen) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while frozen", e);
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                daemon("tcp-proxy-connect", () -> connect(client));
            } catch (IOException e) {
                // listener closed
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitFlowing();
            if (cut || client.isClosed()) {
                closeQuietly(client);
                return;
            }
            Socket server = new Socket(targetHost, targetPort);
            open.add(server);
            pipe(client, server);
            pipe(server, client);
        } catch (IOException e) {
            closeQuietly(client); // target unreachable: the client sees a dropped connection
        }
    }

    private void pipe(Socket from, Socket to) {
        daemon("tcp-proxy-pipe", () -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitFlowing();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        thaw(); // what waited finds its connection closed
        listener.close();
    }
}
