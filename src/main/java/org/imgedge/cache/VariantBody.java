package org.imgedge.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.support.Buffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cached variant's bytes, kept the way the socket sends them fastest. Small ones sit in native
 * memory and are written with one copy into the kernel. Large ones (a {@code medium} is about 150 KB)
 * sit in an unlinked file on a memory file system, and the kernel sends them straight from its page
 * cache (sendfile), as nginx does. That skips copying each response into newly allocated socket memory:
 * in the load-test runs where medium variants went at half nginx's rate, that copy was most of the
 * service's time.
 *
 * <p>A file body is reference counted, because the cache may drop it while responses are still being
 * sent from it (to a slow phone, for seconds): the cache holds one reference, each response under way
 * another, and the last release closes the file, which frees its memory (it has no name left to leak).
 */
public final class VariantBody {

  private static final Logger log = LoggerFactory.getLogger(VariantBody.class);

  private final Buffer buffer;
  private final FileChannel file;
  private final long length;
  /** References to {@link #file}: the cache's one, plus one per response under way. */
  private final AtomicInteger references = new AtomicInteger(1);

  private VariantBody(Buffer buffer, FileChannel file, long length) {
    this.buffer = buffer;
    this.file = file;
    this.length = length;
  }

  /** A body no cache holds, for one response: on the heap, left to the garbage collector. */
  static VariantBody uncached(Buffer bytes) {
    return new VariantBody(bytes, null, bytes.length());
  }

  public long length() {
    return length;
  }

  /** Ends the response with these bytes. */
  public void writeTo(HttpServerResponse response) {
    if (file == null) {
      response.end(buffer);
    } else if (retain()) {
      response.sendFile(file, 0, length).onComplete(sent -> release());
    } else {
      // Cannot happen unless the event loop stalled for the whole grace period between taking this body
      // from the cache and sending it (VariantCache): the file is gone, so the client must ask again.
      log.warn("a cached variant's file was closed before its response; resetting the connection");
      response.reset();
    }
  }

  /** The cache no longer holds this body; a file body closes once its last response is sent. */
  void release() {
    if (file != null && references.decrementAndGet() == 0) {
      try {
        file.close();
      } catch (IOException e) {
        log.warn("could not close a cached variant's file: {}", e.toString());
      }
    }
  }

  private boolean retain() {
    for (int n = references.get(); n > 0; n = references.get()) {
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  boolean isOpen() {
    return file == null || file.isOpen();
  }

  /** Makes bodies: in files from {@code fileMinBytes} up, in native memory below it or when no file can be made. */
  static final class Maker {

    private final Path dir;
    private final long fileMinBytes;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param dir where the files are made, and at once unlinked; null keeps every body in memory */
    Maker(Path dir, long fileMinBytes) {
      this.dir = dir;
      this.fileMinBytes = fileMinBytes;
    }

    /**
     * The memory file system when the machine has one (its files are memory, never written to a
     * disk), else the temporary directory, whose files the page cache holds just the same.
     */
    static Path defaultDir() {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** @param format what the bytes are: names the file, for whoever looks at the open files */
    VariantBody make(Buffer bytes, VariantFormat format) {
      if (dir != null && bytes.length() >= fileMinBytes) {
        try {
          return new VariantBody(null, spool(bytes, format), bytes.length());
        } catch (IOException e) {
          // a full or missing memory file system costs speed, not service
          if (warned.compareAndSet(false, true)) {
            log.warn("cannot keep large cached variants in files under {}, keeping them in memory: {}", dir, e.toString());
          }
        }
      }
      return new VariantBody(Buffers.offHeap(bytes), null, bytes.length());
    }

    /** Writes the bytes to a new file, opens it for reading and unlinks it: the open channel is all that is left. */
    private FileChannel spool(Buffer bytes, VariantFormat format) throws IOException {
      Path path = Files.createTempFile(dir, "imgedge-variant-", "." + format.extension());
      try {
        Files.write(path, bytes.getBytes());
        return FileChannel.open(path, StandardOpenOption.READ);
      } finally {
        Files.deleteIfExists(path);
      }
    }
  }
}
