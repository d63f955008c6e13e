package org.imgedge.imaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.heif.HeifProcess;
import org.imgedge.imaging.heif.HeifProcesses;

/**
 * HEIC and AVIF through libheif, in a process of its own (see {@link HeifProcesses}). Its size comes from
 * the header ({@code ispe}, with rotations applied), so the pixel limit is checked before anything is
 * decoded. libheif cannot shrink while it decodes: the whole picture is decoded, upright, in the decoder's
 * process, which shrinks it by a whole factor, to no less than the decode's minimum, before handing it over; the
 * resampler takes it down to each preset.
 */
final class HeifSource implements Source {

  private final Path file;
  private final HeifProcess.Dimensions size;
  private final Optional<byte[]> icc;
  /** Null once given back: after the decode, or on close. */
  private HeifProcess process;

  private HeifSource(Path file, HeifProcess process, HeifProcess.Probe probe) {
    this.file = file;
    this.process = process;
    this.size = probe.size();
    this.icc = probe.icc().or(() -> profileOf(probe.nclxPrimaries()));
  }

  /** An nclx box says its primaries by number: Display P3 is the one whose variants are not sRGB. */
  private static Optional<byte[]> profileOf(int nclxPrimaries) {
    return nclxPrimaries == HeifProcess.Probe.DISPLAY_P3 && IccProfile.available() ? Optional.of(IccProfile.displayP3())
        : Optional.empty();
  }

  /**
   * Blocking: takes a decoder process (waiting while all are busy) and reads the header.
   *
   * @throws IllegalArgumentException when libheif cannot read the container
   * @throws IOException              when the process crashed on it, or could not be started
   */
  static HeifSource open(Path file) throws IOException {
    HeifProcess process = HeifProcesses.shared().take();
    try {
      return new HeifSource(file, process, process.probe(file));
    } catch (Throwable e) {
      // whatever it is, the pool gets its process back: a slot lost here would be lost for good
      process.close();
      throw e;
    }
  }

  /** From the {@code colr} box: an ICC profile, or nclx primaries that name Display P3. */
  @Override
  public Optional<byte[]> iccProfile() {
    return icc;
  }

  @Override
  public Size storedSize() {
    return new Size(size.width(), size.height());
  }

  /**
   * libheif's RGBA picture and the coded tiles' YCbCr planes that it converts from (1.5 bytes a pixel for 4:2:0, 3
   * at most), both in the decoder's process, and ours in RGB, shrunk.
   */
  @Override
  public long decodeBytes(Size min) {
    HeifProcess.Dimensions shrunk = size.shrunkBy(shrink(min));
    return (long) size.width() * size.height() * (4 + 3) + (long) shrunk.width() * shrunk.height() * 3;
  }

  /** The largest whole factor that leaves the picture no smaller than {@code min} on either side. */
  private int shrink(Size min) {
    return Math.max(1, Math.min(size.width() / Math.max(1, min.width()), size.height() / Math.max(1, min.height())));
  }

  @Override
  public Raster decode(Size min, Cancellation cancellation) throws IOException, ImagingException {
    cancellation.check(); // not worth a healthy process
    try (Cancellation.Registration stop = cancellation.onCancel(this::kill)) {
      return new Raster.Rgb(process.decode(file, size, shrink(min), decodeBytes(min)));
    } catch (HeifProcess.Died e) {
      if (cancellation.cancelled()) {
        throw ImagingException.cancelled();
      }
      throw e;
    } finally {
      close();
    }
  }

  /** From the cancelling thread: only while this source still holds the process, never one given back. */
  private synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.close();
      process = null;
    }
  }
}
