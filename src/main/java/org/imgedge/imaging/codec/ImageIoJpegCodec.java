package org.imgedge.imaging.codec;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The pure-Java fallback. Decodes at full size: ImageIO's source subsampling drops pixels (aliasing), so any
 * shrinking is left to the Lanczos resampler.
 */
final class ImageIoJpegCodec implements JpegCodec {

  static final ImageIoJpegCodec INSTANCE = new ImageIoJpegCodec();
  /** The JDK JPEG writer's own metadata format, which says how each component is sampled. */
  private static final String NATIVE_METADATA = "javax_imageio_jpeg_image_1.0";

  /**
   * Warnings about side data (an odd ICC profile, a broken thumbnail or APPn segment) leave the pixels
   * intact, so they do not fail the decode; every other warning is about the scan data and does.
   */
  private static final Pattern ABOUT_METADATA =
      Pattern.compile("(?i)icc|profile|colou?r ?space|thumbnail|jfif|exif|xmp|adobe|app\\d|metadata");

  private ImageIoJpegCodec() {}

  @Override
  public String name() {
    return "imageio";
  }

  @Override
  public boolean appliesEmbeddedProfile() {
    return true;
  }

  @Override
  public RgbImage decode(byte[] jpeg, int minWidth, int minHeight) throws IOException {
    ImageReader reader = reader();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
      StringBuilder warnings = new StringBuilder();
      // The reader fills a cut-off file with grey and only warns; we want that to be a failure.
      reader.addIIOReadWarningListener((source, warning) -> {
        if (!ABOUT_METADATA.matcher(warning).find()) {
          warnings.append(warning).append("; ");
        }
      });
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      if (warnings.length() > 0) {
        throw new IOException("JPEG decode: " + warnings);
      }
      return RgbImage.fromAwt(image);
    } finally {
      reader.dispose();
    }
  }

  @Override
  public byte[] encode(RgbImage image, int quality, boolean progressive, Chroma chroma) throws IOException {
    ImageWriter writer = writer();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.width() * image.height() / 4 + 1024);
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.setOutput(out);
      BufferedImage picture = wrap(image);
      // No metadata object: the writer emits a bare JFIF APP0, no EXIF/XMP/thumbnail, and 4:2:0.
      IIOMetadata metadata = chroma == Chroma.FULL ? fullChroma(writer, picture, param) : null;
      writer.write(null, new IIOImage(picture, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * The writer's default metadata (the JFIF APP0 and the frame, nothing else) with the luma sampled 1x1 instead of
   * 2x2: every component at full size, i.e. 4:4:4.
   */
  private static IIOMetadata fullChroma(ImageWriter writer, BufferedImage picture, ImageWriteParam param)
      throws IIOInvalidTreeException {
    IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(picture), param);
    IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(NATIVE_METADATA);
    IIOMetadataNode luma = (IIOMetadataNode) tree.getElementsByTagName("componentSpec").item(0);
    luma.setAttribute("HsamplingFactor", "1");
    luma.setAttribute("VsamplingFactor", "1");
    metadata.setFromTree(NATIVE_METADATA, tree);
    return metadata;
  }

  /** Views the packed RGB bytes as a BufferedImage without copying them. */
  private static BufferedImage wrap(RgbImage image) {
    int w = image.width(), h = image.height();
    var model = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, 3, w * 3, new int[] {0, 1, 2});
    WritableRaster raster = Raster.createWritableRaster(model, new DataBufferByte(image.rgb(), image.rgb().length), null);
    var colours = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    return new BufferedImage(colours, raster, false, null);
  }

  /** Prefers TwelveMonkeys' reader, which handles CMYK/YCCK and ICC profiles that the JDK's rejects. */
  private static ImageReader reader() {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    ImageReader first = null;
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      if (r.getClass().getName().startsWith("com.twelvemonkeys.")) {
        if (first != null) {
          first.dispose();
        }
        return r;
      }
      if (first == null) {
        first = r;
      } else {
        r.dispose();
      }
    }
    if (first == null) {
      throw new IllegalStateException("no ImageIO JPEG reader");
    }
    return first;
  }

  private static ImageWriter writer() {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO JPEG writer");
    }
    return writers.next();
  }
}
