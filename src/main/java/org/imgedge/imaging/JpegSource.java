package org.imgedge.imaging;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.JpegHeader;
import org.imgedge.imaging.codec.JpegScans;

/**
 * A JPEG file mapped into memory (the codecs want the whole file), sized by its own SOF marker.
 *
 * <p>Mapped rather than read: libjpeg-turbo reads the compressed bytes straight from the page cache, so even a
 * 200 MP original costs the heap only its (DCT-scaled) raster. The file is a staged upload that nobody
 * truncates while we read it; a truncated mapping would fault instead of failing politely.
 */
final class JpegSource implements Source {

  private final MappedByteBuffer jpeg;
  private final JpegCodec codec;

  private JpegSource(MappedByteBuffer jpeg, JpegCodec codec) {
    this.jpeg = jpeg;
    this.codec = codec;
  }

  /** @throws IOException when the file cannot be opened or mapped (a server-side problem, not bad bytes) */
  static JpegSource open(Path file, JpegCodec codec) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      // The mapping stays valid after the channel closes, until close() below.
      return new JpegSource(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), codec);
    }
  }

  @Override
  public Size storedSize() throws IOException {
    JpegHeader header = JpegHeader.parse(jpeg);
    return new Size(header.width(), header.height());
  }

  /** Both codecs decode every scan of a progressive file, so the scan count is checked here, once for both. */
  @Override
  public void checkDecodeCost() throws ImagingException {
    if (JpegScans.count(jpeg, JpegScans.MAX_SCANS) > JpegScans.MAX_SCANS) {
      throw ImagingException.tooManyScans(JpegScans.MAX_SCANS);
    }
  }

  /**
   * The output at the smallest of libjpeg-turbo's eighths that is not under {@code min}, plus, for a
   * progressive file, the coefficients of the whole image (two bytes a sample, every component at full
   * size: the bound for any subsampling), which it keeps until the last scan.
   */
  @Override
  public long decodeBytes(Size min) throws IOException {
    JpegHeader header = JpegHeader.parse(jpeg);
    long w = header.width();
    long h = header.height();
    long output = Math.min(w, min.width() + (w + 7) / 8) * Math.min(h, min.height() + (h + 7) / 8) * 3;
    boolean progressive = JpegScans.count(jpeg, 1) > 1;
    return output + (progressive ? w * h * header.components() * 2 : 0);
  }

  @Override
  public boolean appliesEmbeddedProfile() {
    return codec.appliesEmbeddedProfile();
  }

  @Override
  public Raster decode(Size min, Cancellation cancellation) throws IOException {
    var planes = codec.decodeYCbCr(jpeg, min.width(), min.height());
    return planes.isPresent()
        ? new Raster.Planes(planes.get())
        : new Raster.Rgb(codec.decode(jpeg, min.width(), min.height()));
  }

  /**
   * Unmaps the file now rather than when the buffer is collected: a refused upload's staged file is
   * deleted right after, and while mapped it would keep its space on the disk, which matters most when
   * the disk is full. Nothing reads the buffer after this (the pipeline closes its source last). Where
   * Netty cannot unmap (no Unsafe), the collector still does it later.
   */
  @Override
  public void close() {
    PlatformDependent.freeDirectBuffer(jpeg);
  }
}
