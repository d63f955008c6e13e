package org.imgedge.imaging;

/**
 * How an upload that stopped waiting for its variants (its {@code imaging.timeoutSeconds} passed) tells
 * the worker to stop. The pipeline checks it between its stages, ImageIO's readers between rows and
 * libwebp between slices of the input. libjpeg-turbo's TurboJPEG API has no hook to stop a decode
 * part-way; its time is bounded by the pixel and scan limits checked before it starts.
 */
public final class Cancellation {

  private volatile boolean cancelled;

  public void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** @throws ImagingException of kind {@link ImagingException.Kind#CANCELLED} once cancelled */
  void check() throws ImagingException {
    if (cancelled) {
      throw ImagingException.cancelled();
    }
  }
}
