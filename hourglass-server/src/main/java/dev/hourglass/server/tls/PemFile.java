package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM file with what it is to the user ({@code TLS key file} for the server, whichever of flag,
 * variable or config key gave it; {@code --tls-ca-path} for a client command), so that a missing
 * or malformed file is reported in one line that says which file to fix and why.
 *
 * @param setting what the file is, as the user knows it
 * @param path the file
 */
public record PemFile(String setting, Path path) {
  private static final Pattern PKCS8_KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

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
   * The PKCS#8 private key in the file, of {@code certificate}'s public key: a key that is not the
   * certificate's would only show when a client's handshake fails, so it fails the start instead.
   *
   * @throws IllegalArgumentException when the file cannot be read, holds no unencrypted PKCS#8
   *     key of the certificate's algorithm, or holds another certificate's key
   */
  PrivateKey privateKeyOf(X509Certificate certificate, PemFile certificateFile) {
    String text;
    try {
      text = Files.readString(readable(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw problem("cannot be read (" + e.getMessage() + ")");
    }
    Matcher pem = PKCS8_KEY.matcher(text);
    if (!pem.find()) {
      throw problem("is not a PKCS#8 PEM private key (unencrypted, \"BEGIN PRIVATE KEY\"; "
          + "convert with openssl pkcs8 -topk8 -nocrypt)");
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw problem("holds no " + algorithm + " private key for " + certificateFile + " (" + e.getMessage() + ")");
    }
    if (!signsFor(key, certificate)) {
      throw problem("is not the private key of " + certificateFile);
    }
    return key;
  }

  /** Whether the key's signature verifies with the certificate's public key; true when the algorithm has no signature to try. */
  private static boolean signsFor(PrivateKey key, X509Certificate certificate) {
    String signatureAlgorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (signatureAlgorithm == null) {
      return true;
    }
    try {
      byte[] probe = "hourglass".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(signatureAlgorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(signatureAlgorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
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
