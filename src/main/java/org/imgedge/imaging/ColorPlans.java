package org.imgedge.imaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The colour plan of each embedded profile, made once. A phone tags every photo with the same profile, and reading
 * it and building its LittleCMS transforms costs milliseconds, as much as resizing a variant; looking it up costs
 * a hash of its bytes.
 */
final class ColorPlans {

  /** Far more profiles than the cameras and phones a service sees; each plan holds a few KB of native tables. */
  private static final int PROFILES = 64;

  private final WideGamut wideGamut;
  /** By the SHA-256 of the profile: a key of 32 bytes, whatever the profile's size. */
  private final Cache<ByteBuffer, ColorPlan> plans = Caffeine.newBuilder().maximumSize(PROFILES).build();

  ColorPlans(WideGamut wideGamut) {
    this.wideGamut = wideGamut;
  }

  /** @param icc the original's embedded profile, if any */
  ColorPlan forProfile(Optional<byte[]> icc) {
    if (icc.isEmpty()) {
      return ColorPlan.AS_IS;
    }
    return plans.get(ByteBuffer.wrap(sha256(icc.get())), key -> ColorPlan.of(icc, wideGamut));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
