package org.imgedge.imaging;

/**
 * How an upload that stopped waiting for its variants (its {@code imaging.timeoutSeconds} passed) tells
 * the worker to stop. The pipeline checks it between its stages, ImageIO's readers between rows and
 * libwebp between slices of the input; a HEIF decode is stopped by ending its process. libjpeg-turbo's
 * TurboJPEG API has no hook to stop a decode part-way; its time is bounded by the pixel and scan limits
 * checked before it starts.
 */
public final class Cancellation {

  private volatile boolean cancelled;
  private volatile Runnable onCancel;

  public void cancel() {
    cancelled = true;
    Runnable action = onCancel;
    if (action != null) {
      action.run();
    }
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

  /**
   * Runs {@code action} on cancelling (at once, if already cancelled), until the returned registration is
   * closed: for a decoder that cannot be asked between steps but can be stopped from outside. One at a time.
   * The action may run twice, and on the cancelling thread.
   */
  Registration onCancel(Runnable action) {
    onCancel = action;
    if (cancelled) {
      action.run();
    }
    return () -> onCancel = null;
  }

  /** An {@link #onCancel} action, withdrawn. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
