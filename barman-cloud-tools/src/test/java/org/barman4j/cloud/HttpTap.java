package org.barman4j.cloud;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A TCP relay on loopback in front of an HTTP server that keeps the head (request line and headers) of every
 * request passing through, so that a test can see what a client process really sent. Plain HTTP/1.1 with
 * Content-Length bodies, as the AWS SDK's URL-connection client sends them.
 */
final class HttpTap implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<String> heads = new ArrayList<>(); // guarded by itself
  private final List<Socket> sockets = new ArrayList<>(); // guarded by itself

  HttpTap(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "http-tap");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The heads seen so far, lower-cased. */
  List<String> heads() {
    synchronized (heads) {
      return List.copyOf(heads);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(upstream);
        }
        // When either side ends, both connections close, as they would without the tap in between.
        start(() -> relayRequests(client.getInputStream(), upstream.getOutputStream()), client, upstream);
        start(() -> upstream.getInputStream().transferTo(client.getOutputStream()), client, upstream);
      } catch (IOException e) {
        return;
      }
    }
  }

  @FunctionalInterface
  private interface Pump {
    long run() throws IOException;
  }

  private static void start(Pump pump, Socket client, Socket upstream) {
    Thread t = new Thread(() -> {
      try {
        pump.run();
      } catch (IOException e) {
        // connection closed
      } finally {
        closeQuietly(client);
        closeQuietly(upstream);
      }
    }, "http-tap-pump");
    t.setDaemon(true);
    t.start();
  }

  // Forwards every byte at once; a side parser picks out the heads, skipping Content-Length bodies.
  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private long relayRequests(InputStream in, OutputStream out) throws IOException {
    HeadParser parser = new HeadParser();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
      out.flush();
      parser.feed(buffer, n);
    }
    return 0;
  }

  private final class HeadParser {
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private long bodyLeft;
    private int last4; // the last four head bytes

    void feed(byte[] bytes, int length) {
      for (int i = 0; i < length; i++) {
        if (bodyLeft > 0) {
          long skip = Math.min(bodyLeft, length - i);
          bodyLeft -= skip;
          i += (int) skip - 1;
          continue;
        }
        head.write(bytes[i]);
        last4 = (last4 << 8) | (bytes[i] & 0xff);
        if (head.size() > 64 * 1024) {
          head.reset(); // not a head: lost track (a chunked body); resynchronise on the next one
        }
        if (last4 == 0x0d0a0d0a) {
          String text = head.toString(StandardCharsets.ISO_8859_1);
          head.reset();
          last4 = 0;
          synchronized (heads) {
            heads.add(text.toLowerCase(Locale.ROOT));
          }
          for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              bodyLeft = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
          }
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
