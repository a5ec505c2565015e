package org.barman4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import javax.net.SocketFactory;

/**
 * Lets the PostgreSQL JDBC driver, which speaks only TCP, reach a server through its Unix socket (as libpq
 * does for a host that is a directory), with the JDK's Unix-domain channels. The driver instantiates it from
 * its {@code socketFactory} property; {@code socketFactoryArg} is the socket file.
 */
public final class UnixSocketFactory extends SocketFactory {
  private final Path socket;

  /** The constructor the driver calls, with its connection properties. */
  public UnixSocketFactory(Properties properties) {
    this(Path.of(Objects.requireNonNull(properties.getProperty("socketFactoryArg"), "socketFactoryArg is not set")));
  }

  public UnixSocketFactory(Path socket) {
    this.socket = Objects.requireNonNull(socket, "socket is null");
  }

  @Override
  public Socket createSocket() {
    return new UnixSocket(socket);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected();
  }

  private Socket connected() throws IOException {
    UnixSocket s = new UnixSocket(socket);
    s.connect(null, 0);
    return s;
  }

  /** A {@link Socket} face on a Unix-domain {@link SocketChannel}; TCP options are ignored. */
  private static final class UnixSocket extends Socket {
    private final Path path;
    private SocketChannel channel;
    private InputStream in;
    private OutputStream out;
    private boolean closed;

    UnixSocket(Path path) {
      this.path = path;
    }

    @Override
    public synchronized void connect(SocketAddress ignored, int timeout) throws IOException {
      if (channel != null) {
        throw new SocketException("Already connected to " + path);
      }
      SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        c.connect(UnixDomainSocketAddress.of(path));
      } catch (IOException e) {
        c.close();
        throw new IOException("Cannot connect to the Unix socket " + path + ": " + e.getMessage(), e);
      }
      channel = c;
      in = Channels.newInputStream(c);
      out = Channels.newOutputStream(c);
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        throw new SocketException("Not connected to " + path);
      }
      return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        throw new SocketException("Not connected to " + path);
      }
      return out;
    }

    @Override
    public synchronized boolean isConnected() {
      return channel != null && channel.isConnected();
    }

    @Override
    public synchronized boolean isClosed() {
      return closed;
    }

    @Override
    public synchronized void close() throws IOException {
      closed = true;
      if (channel != null) {
        channel.close();
      }
    }

    @Override
    public void shutdownInput() throws IOException {
      if (channel != null) {
        channel.shutdownInput();
      }
    }

    @Override
    public void shutdownOutput() throws IOException {
      if (channel != null) {
        channel.shutdownOutput();
      }
    }

    // TCP options have no meaning here; the driver sets some of them on every connection.
    @Override
    public void setTcpNoDelay(boolean on) {}

    @Override
    public boolean getTcpNoDelay() {
      return true;
    }

    @Override
    public void setKeepAlive(boolean on) {}

    @Override
    public boolean getKeepAlive() {
      return false;
    }

    @Override
    public void setSoTimeout(int timeout) {}

    @Override
    public int getSoTimeout() {
      return 0;
    }

    @Override
    public void setReceiveBufferSize(int size) {}

    @Override
    public int getReceiveBufferSize() {
      return 65536;
    }

    @Override
    public void setSendBufferSize(int size) {}

    @Override
    public int getSendBufferSize() {
      return 65536;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {}

    @Override
    public int getSoLinger() {
      return -1;
    }

    @Override
    public InetAddress getInetAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public String toString() {
      return "UnixSocket[" + path + "]";
    }
  }
}
