package org.imgedge.imaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.imgedge.imaging.codec.HeifDecoder;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.WebpDecoder;
import org.imgedge.metadata.ExifReader;
import org.imgedge.metadata.ImageMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an uploaded original into upright, metadata-free JPEG variants, refusing bad input with a reason. */
public final class VariantPipeline {

  private static final Logger log = LoggerFactory.getLogger(VariantPipeline.class);

  /** JPEG cannot say more than 16 bits per side; a bigger claim elsewhere is a hostile header. */
  private static final int MAX_SIDE = 65_535;

  private final JpegCodec codec;
  private final ColorPlans colorPlans;
  private final LongAdder ignoredProfiles = new LongAdder();

  private VariantPipeline(JpegCodec codec, WideGamut wideGamut) {
    this.codec = codec;
    this.colorPlans = new ColorPlans(wideGamut);
  }

  /** {@link #create(JpegCodec, WideGamut)}, Display P3 kept. */
  public static VariantPipeline create(JpegCodec codec) {
    return create(codec, WideGamut.KEEP_P3);
  }

  /**
   * @param codec     decodes JPEG originals and encodes every variant
   * @param wideGamut what a Display P3 original's variants are made in
   */
  public static VariantPipeline create(JpegCodec codec, WideGamut wideGamut) {
    if (!IccProfile.available()) {
      log.warn("colour: embedded profiles ignored, every picture treated as sRGB, because LittleCMS is unavailable ({})",
          IccProfile.unavailableBecause().toString());
    }
    if (!HeifDecoder.available()) {
      log.warn("HEIC and AVIF: refused (415), because libheif is unavailable ({})", HeifDecoder.unavailableBecause().toString());
    }
    if (!WebpDecoder.available()) {
      log.warn("WebP: decoded by the pure-Java reader, because libwebp is unavailable ({}); a large WebP may take minutes",
          WebpDecoder.unavailableBecause().toString());
    }
    return new VariantPipeline(codec, wideGamut);
  }

  /** Embedded profiles that could not be used (broken, not RGB, no LittleCMS): those pictures were treated as sRGB. */
  public long ignoredProfiles() {
    return ignoredProfiles.sum();
  }

  /** {@link #render(Path, List, long, Cancellation)} with no way to stop it: for work no one waits on with a deadline. */
  public Rendered render(Path original, List<Preset> presets, long maxPixels) throws ImagingException {
    return render(original, presets, maxPixels, new Cancellation());
  }

  /**
   * Blocking: sniff -> header size (refused above {@code maxPixels} before any pixel is allocated) -> scan count -> metadata ->
   * decode -> resize -> orient -> encode each preset.
   *
   * @param presets      at least one
   * @param cancellation stops the work part-way, with an ImagingException of kind CANCELLED
   * @return the original's displayed size, its metadata and one variant per preset, in order
   * @throws ImagingException for every kind of bad input (the message is safe for a client)
   * @throws UncheckedIOException when the file itself cannot be read: a server problem, not bad bytes
   */
  public Rendered render(Path original, List<Preset> presets, long maxPixels, Cancellation cancellation) throws ImagingException {
    return render(original, presets, maxPixels, cancellation, null);
  }

  /** @param scratch where encoders that write through a file (AVIF) write it: the job's folder; null for the temporary directory */
  public Rendered render(Path original, List<Preset> presets, long maxPixels, Cancellation cancellation, Path scratch)
      throws ImagingException {
    if (presets.isEmpty()) {
      throw new IllegalArgumentException("no presets");
    }
    cancellation.check(); // a job that waited in the queue past its upload's timeout
    ImageFormat format = sniff(original);
    try (Source source = open(original, format)) {
      return render(original, format, source, presets, maxPixels, cancellation, scratch);
    } catch (OutOfMemoryError e) {
      // a valid image can need more than the heap has left while other decodes run: never call it corrupt
      log.warn("out of memory decoding {} {} ({})", format, original.getFileName(), e.getMessage());
      throw ImagingException.outOfMemory();
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // Decoders signal bad bytes in every way they can (IIOException, IndexOutOfBounds, NegativeArraySize...).
      // All of them mean the same to the client.
      log.info("cannot decode {} {}: {}", format, original.getFileName(), e.toString());
      throw ImagingException.undecodable(format);
    }
  }

  private Rendered render(Path original, ImageFormat format, Source source, List<Preset> presets, long maxPixels,
      Cancellation cancellation, Path scratch) throws IOException, ImagingException {
    Size stored = source.storedSize();
    if (stored.width() < 1 || stored.height() < 1) {
      throw ImagingException.undecodable(format);
    }
    if (stored.pixels() > maxPixels || stored.width() > MAX_SIDE || stored.height() > MAX_SIDE) {
      throw ImagingException.tooManyPixels(stored.width(), stored.height(), maxPixels);
    }
    source.checkDecodeCost();
    ImageMetadata metadata = readMetadata(original, format);
    // HEIF's own transforms are applied by libheif; the EXIF orientation inside a HEIC only repeats them
    int orientation = format.orientedByDecoder() ? 1 : Orient.normalise(metadata.orientation());
    Size displayed = Orient.swapsAxes(orientation) ? stored.transposed() : stored;
    Optional<byte[]> icc = source.appliesEmbeddedProfile() ? Optional.empty()
        : source.iccProfile().or(() -> EmbeddedIcc.read(original, format));
    ColorPlan color = colorPlans.forProfile(icc);
    if (color.profileIgnored()) {
      ignoredProfiles.increment();
    }
    VariantMaker maker = new VariantMaker(codec, displayed, orientation, color, scratch);
    var decoded = source.decode(maker.minimumDecode(presets), cancellation);
    cancellation.check();
    VariantMaker.Made made = maker.make(decoded, presets);
    return new Rendered(format, displayed.width(), displayed.height(), metadata, made.variants(), made.thumbHash());
  }

  private static ImageFormat sniff(Path original) throws ImagingException {
    try {
      ImageFormat format = FormatSniffer.sniff(original).orElseThrow(ImagingException::unsupported);
      if (!format.readableHere()) {
        throw ImagingException.unreadableHere(format);
      }
      return format;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The source for {@code format}, its header not yet read. */
  Source open(Path original, ImageFormat format) {
    try {
      return switch (format) {
        case JPEG -> JpegSource.open(original, codec);
        // without libwebp (said once at start), the slower pure-Java reader
        case WEBP -> WebpDecoder.available() ? WebpSource.open(original) : ImageIoSource.open(original, format);
        case HEIC, AVIF -> HeifSource.open(original);
        case PNG, GIF -> ImageIoSource.open(original, format);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Metadata is a nice-to-have: ExifReader never throws, so a broken EXIF block never costs the user their upload. */
  private static ImageMetadata readMetadata(Path original, ImageFormat format) {
    return ExifReader.read(original, format.mimeType());
  }
}
