package dev.hourglass.timers.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Timer ids: random uuid v4s, or ones derived from an idempotency key. */
final class TimerIds {
  /** A uuid v4 in its canonical text form, any case (as the original's ParseUUIDPipe accepts). */
  private static final Pattern UUID_V4 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
      Pattern.CASE_INSENSITIVE);

  private TimerIds() {}

  static boolean isUuidV4(String id) {
    return id != null && UUID_V4.matcher(id).matches();
  }

  /** The canonical (lower-case) form of an id that {@link #isUuidV4} accepted. */
  static String canonical(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  static String random() {
    return UUID.randomUUID().toString();
  }

  /**
   * The id for an {@code Idempotency-Key}: the first 128 bits of SHA-256 over the namespace and
   * the key, with the version and variant bits of a v4 uuid, so that the ids of keyed timers pass
   * the same checks as random ones. Two keys collide with the odds of two random uuids.
   */
  static String fromIdempotencyKey(String namespace, String key) {
    byte[] hash;
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(("hourglass-timers\u0000" + namespace + "\u0000").getBytes(StandardCharsets.UTF_8));
      hash = digest.digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x40);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    long most = 0;
    long least = 0;
    for (int i = 0; i < 8; i++) {
      most = (most << 8) | (hash[i] & 0xff);
      least = (least << 8) | (hash[8 + i] & 0xff);
    }
    return new UUID(most, least).toString();
  }
}
