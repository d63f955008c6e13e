package org.imgedge.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tus-js-client, the tus project's own JavaScript client, run by Node on {@code .ci/tus-client/upload.js}:
 * a client no one here wrote, resuming as apps resume. Installed at its pinned version by .ci/install-deps.
 */
public final class TusClient {

  private static final Path DIR = Path.of(System.getProperty("user.dir")).resolve(".ci/tus-client");
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private TusClient(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "tus-client-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Whether tus-js-client is installed (by .ci/install-deps). */
  public static boolean installed() {
    return Files.isDirectory(DIR.resolve("node_modules/tus-js-client"));
  }

  /**
   * Starts uploading {@code file} to {@code endpoint}.
   *
   * @param chunkSize bytes per PATCH; 0 for the whole rest in one
   * @param retryDelayMillis the wait before each retry after the first, which is immediate
   */
  public static TusClient start(String endpoint, String key, Path file, int chunkSize, int retryDelayMillis) throws IOException {
    return new TusClient(new ProcessBuilder("node", DIR.resolve("upload.js").toString(), endpoint, key, file.toString(),
        String.valueOf(chunkSize), String.valueOf(retryDelayMillis)).redirectErrorStream(true).start());
  }

  /** @return the client's last line ({@code done}, with the image's id), once it exited 0 within {@code limit} */
  public JsonObject await(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tus-js-client did not finish within " + limit + ":\n" + output());
    }
    reader.join(5000);
    if (process.exitValue() != 0) {
      throw new AssertionError("tus-js-client failed:\n" + output());
    }
    synchronized (lines) {
      return new JsonObject(lines.get(lines.size() - 1));
    }
  }

  /** Everything the client printed. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Ends the client if it still runs. */
  public void stop() {
    process.destroyForcibly();
  }
}
