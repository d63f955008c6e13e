package org.imgedge.imaging.heif;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The decoder process's own address-space limit ({@code RLIMIT_AS}), set before each request and lifted
 * after it. A HEIF's declared size, which the upload was admitted by, and the size libheif decodes need
 * not agree: a grid's descriptor can declare far more than its {@code ispe}. Past the limit libheif's
 * allocation fails, and the file is refused, instead of the machine running out of memory.
 */
final class AddressSpaceLimit {

  /** {@code RLIMIT_AS} on Linux. */
  private static final int RLIMIT_AS = 9;

  /** Null when libc's functions were bound; otherwise why not, and no limit is set. */
  static final Throwable LOAD_FAILURE = bind();

  private AddressSpaceLimit() {}

  private static Throwable bind() {
    try {
      if (!Platform.isLinux()) {
        return new UnsupportedOperationException("RLIMIT_AS is set on Linux only");
      }
      Native.register(AddressSpaceLimit.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
      return null;
    } catch (LinkageError | RuntimeException e) {
      return e;
    }
  }

  /** {@code struct rlimit}: the soft limit, then the hard one; -1 (all bits set) is no limit. */
  private static native int getrlimit(int resource, long[] limit);

  private static native int setrlimit(int resource, long[] limit);

  /** Lets the process map {@code bytes} more than it maps now, and no more (never past the hard limit). */
  static void allowMore(long bytes) throws IOException {
    if (LOAD_FAILURE != null) {
      return;
    }
    long[] limit = current();
    long wanted = mappedBytes() + bytes;
    // unsigned: the hard limit may be "none", all bits set
    limit[0] = Long.compareUnsigned(wanted, limit[1]) < 0 ? wanted : limit[1];
    set(limit);
  }

  /** Back to the hard limit. */
  static void lift() throws IOException {
    if (LOAD_FAILURE != null) {
      return;
    }
    long[] limit = current();
    limit[0] = limit[1];
    set(limit);
  }

  private static long[] current() throws IOException {
    long[] limit = new long[2];
    if (getrlimit(RLIMIT_AS, limit) != 0) {
      throw new IOException("getrlimit failed");
    }
    return limit;
  }

  private static void set(long[] limit) throws IOException {
    if (setrlimit(RLIMIT_AS, limit) != 0) {
      throw new IOException("setrlimit failed");
    }
  }

  /** The address space mapped now ({@code VmSize}): the JVM reserves much of it at start. */
  private static long mappedBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmSize:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmSize in /proc/self/status");
  }
}
