package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A PEM file named as the user knows it ({@code --tls-cert-file}, {@code server.tls.certFile}), so
 * that a missing or malformed file is reported in one line that says which setting to fix.
 *
 * @param setting the flag or key the path came from
 * @param path the file
 */
public record PemFile(String setting, Path path) {
  public PemFile {
    requireNonNull(setting, "setting is null");
    requireNonNull(path, "path is null");
  }

  /**
   * The certificates in the file, checked here rather than in Netty so that the error names the file.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no PEM certificate
   */
  X509Certificate[] certificates() {
    try (InputStream in = Files.newInputStream(readable())) {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast)
          .toList();
      if (certificates.isEmpty()) {
        throw problem("holds no certificate");
      }
      return certificates.toArray(X509Certificate[]::new);
    } catch (IOException e) {
      throw problem("cannot be read (" + e.getMessage() + ")");
    } catch (CertificateException e) {
      throw problem("is not a PEM certificate file (" + e.getMessage() + ")");
    }
  }

  /**
   * The file, once known to be a readable regular file.
   *
   * @throws IllegalArgumentException otherwise
   */
  Path readable() {
    if (!Files.exists(path)) {
      throw problem("does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw problem("is not a file");
    }
    if (!Files.isReadable(path)) {
      throw problem("cannot be read (permission denied)");
    }
    return path;
  }

  IllegalArgumentException problem(String what) {
    return new IllegalArgumentException(this + " " + what);
  }

  @Override
  public String toString() {
    return setting + " " + path;
  }

}
