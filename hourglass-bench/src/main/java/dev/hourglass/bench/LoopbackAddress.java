package dev.hourglass.bench;

import static java.util.Objects.requireNonNull;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A server address the benchmark may connect to: a loopback IP and a port. The benchmark floods
 * its target with requests, so it refuses anything but this machine; the host name is resolved
 * once here and the client dials the resolved literal, so a later lookup cannot send it elsewhere.
 */
record LoopbackAddress(InetAddress ip, int port) {
  LoopbackAddress {
    requireNonNull(ip, "ip is null");
    if (!ip.isLoopbackAddress()) {
      throw new IllegalArgumentException(ip.getHostAddress() + " is not a loopback address");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /**
   * Parses {@code host:port} ({@code [::1]:port} for an IPv6 literal). Every address the host
   * resolves to must be loopback, not just the first: a name that also resolves elsewhere is
   * refused rather than trusted.
   */
  static LoopbackAddress parse(String hostAndPort) {
    requireNonNull(hostAndPort, "hostAndPort is null");
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostAndPort.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostAndPort + "'");
    }
    String host = hostAndPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostAndPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + hostAndPort + "'", e);
    }
    InetAddress[] resolved;
    try {
      resolved = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve '" + host + "'", e);
    }
    for (InetAddress candidate : resolved) {
      if (!candidate.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "'" + host + "' resolves to " + candidate.getHostAddress() + ", which is not loopback; the benchmark only connects to this machine");
      }
    }
    return new LoopbackAddress(resolved[0], port);
  }

  /** The gRPC target string: the literal IP, bracketed when IPv6. */
  String grpcTarget() {
    String literal = ip.getHostAddress();
    return (ip instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port;
  }

  @Override
  public String toString() {
    return grpcTarget();
  }
}
