package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away PKI made at test time (BouncyCastle): a CA, a server certificate for
 * {@code 127.0.0.1} and {@code localhost}, and a client certificate, all signed by the CA, as the
 * PEM files an operator would hand to {@code --tls-*} (keys in PKCS#8). Nothing is checked in, so
 * nothing expires in the repository.
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path clientCertificate, Path clientKey) {
  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  public TestCertificates {
    requireNonNull(caCertificate, "caCertificate is null");
    requireNonNull(serverCertificate, "serverCertificate is null");
    requireNonNull(serverKey, "serverKey is null");
    requireNonNull(clientCertificate, "clientCertificate is null");
    requireNonNull(clientKey, "clientKey is null");
  }

  /** Writes a new CA, server and client certificate with their keys into {@code directory}. */
  public static TestCertificates create(Path directory) {
    try {
      KeyPair ca = newKeyPair();
      X500Name caName = new X500Name("CN=Hourglass Test CA");
      X509Certificate caCertificate = sign(caName, ca, caName, ca.getPublic(), true, null);
      KeyPair server = newKeyPair();
      X509Certificate serverCertificate = sign(caName, ca, new X500Name("CN=localhost"), server.getPublic(), false,
          new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      KeyPair client = newKeyPair();
      X509Certificate clientCertificate = sign(caName, ca, new X500Name("CN=test-client"), client.getPublic(), false, null);
      return new TestCertificates(
          writePem(directory.resolve("ca.pem"), new PemObject("CERTIFICATE", caCertificate.getEncoded())),
          writePem(directory.resolve("server.pem"), new PemObject("CERTIFICATE", serverCertificate.getEncoded())),
          writePem(directory.resolve("server-key.pem"), new PemObject("PRIVATE KEY", server.getPrivate().getEncoded())),
          writePem(directory.resolve("client.pem"), new PemObject("CERTIFICATE", clientCertificate.getEncoded())),
          writePem(directory.resolve("client-key.pem"), new PemObject("PRIVATE KEY", client.getPrivate().getEncoded())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make test certificates", e);
    }
  }

  /** What an SDK application trusting the CA uses, without a client certificate (enough for TLS, refused under mTLS). */
  public SslContext sdkContextWithoutCertificate() {
    try {
      return SimpleSslContextBuilder.noKeyOrCertChain().setTrustManager(trustManagerFactory().getTrustManagers()[0]).build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What an SDK application uses under mutual TLS: the CA trusted, the client certificate presented. */
  public SslContext sdkContextWithClientCertificate() {
    try (InputStream certificate = Files.newInputStream(clientCertificate); InputStream key = Files.newInputStream(clientKey)) {
      return SimpleSslContextBuilder.forPKCS8(certificate, key).setTrustManager(trustManagerFactory().getTrustManagers()[0]).build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private TrustManagerFactory trustManagerFactory() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caCertificate)) {
      trusted.setCertificateEntry("hourglass-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    return factory;
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    // EC P-256: generated in milliseconds, unlike RSA, and every TLS stack in play accepts it.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, X500Name subject, java.security.PublicKey subjectKey,
      boolean isCa, GeneralNames alternativeNames) throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, subjectKey)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa))
        .addExtension(Extension.keyUsage, true, isCa
            ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
            : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    if (alternativeNames != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static Path writePem(Path file, PemObject pem) throws IOException {
    try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(pem);
    }
    return file;
  }
}
