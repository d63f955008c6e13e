package org.imgedge.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.support.DiskFull;

/**
 * A small file system of a test's own (a tmpfs mounted on a temporary folder), so the test can fill
 * the disk under the service without filling the machine's. Mounting needs root (or CAP_SYS_ADMIN): in
 * CI a failed mount fails the test; elsewhere the test is skipped with the reason.
 */
public final class Tmpfs implements AutoCloseable {

  private final Path dir;
  private final Path filler;

  private Tmpfs(Path dir) {
    this.dir = dir;
    this.filler = dir.resolve("filler");
  }

  public static Tmpfs mount(int megabytes) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("imgedge-tmpfs-");
    Process p = new ProcessBuilder(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0755", "tmpfs", dir.toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (!mounted) {
      Files.deleteIfExists(dir);
      String why = "cannot mount a tmpfs (needs root): " + out.trim();
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(why);
      }
      assumeTrue(false, why);
    }
    return new Tmpfs(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Bytes a new file could still take. */
  public long free() throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }

  /**
   * Grows (or shrinks) one filler file so that about {@code bytes} stay free (tmpfs counts whole 4 KiB
   * pages). The filler is written, not sparse: a sparse file would take no space.
   */
  public void leaveFree(long bytes) throws IOException {
    long target = Math.max(0, (Files.exists(filler) ? Files.size(filler) : 0) + free() - bytes);
    try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
      if (target < f.length()) {
        f.setLength(target);
        return;
      }
      f.seek(f.length());
      byte[] chunk = new byte[64 * 1024];
      for (long left = target - f.length(); left > 0; left -= chunk.length) {
        f.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      // The service wrote meanwhile (its catalog, a cache file) and the disk filled first: it is as full as
      // asked or fuller, which callers see in free(). Seen once in CI, at "leave 0 bytes free".
      if (!DiskFull.is(e)) {
        throw e;
      }
    }
  }

  /** Frees the space the filler took, as an operator cleaning up would. */
  public void removeFiller() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of("umount", "-l", dir.toString())).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(30, TimeUnit.SECONDS);
    Files.deleteIfExists(dir);
  }
}
