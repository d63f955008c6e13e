package org.imgedge.imaging.codec;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The slice of the TurboJPEG 2.x C API we call, bound with JNA direct mapping (much cheaper per call than
 * interface mapping). Constants are copied from libjpeg-turbo 2.1's {@code turbojpeg.h}.
 */
final class TurboJpegLibrary {

  /** The runtime package ships only the versioned name; the unversioned .so is a dev-package symlink. */
  static final String LIBRARY = "libturbojpeg.so.0";

  static final int TJPF_RGB = 0;
  static final int TJPF_CMYK = 11;
  static final int TJCS_CMYK = 3;
  static final int TJCS_YCCK = 4;
  static final int TJSAMP_444 = 0;
  static final int TJSAMP_420 = 2;
  static final int TJSAMP_GRAY = 3;
  /** 4:1:1, the last subsampling 2.1 knows; anything above is unknown to us. */
  static final int TJSAMP_411 = 5;
  static final int TJCS_YCBCR = 1;
  static final int TJFLAG_ACCURATEDCT = 4096;
  static final int TJFLAG_STOPONWARNING = 8192;
  /** A progressive JPEG; libjpeg-turbo then always optimises the Huffman tables (jcmaster.c). */
  static final int TJFLAG_PROGRESSIVE = 16384;
  /** Refuses progressive files with an absurd number of scans (a CPU exhaustion trick); 32768, not 2048 (FASTDCT). */
  static final int TJFLAG_LIMITSCANS = 32768;

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(TurboJpegLibrary.class, LIBRARY);

  private TurboJpegLibrary() {}

  static native Pointer tjInitDecompress();

  static native int tjDecompressHeader3(Pointer handle, Pointer jpegBuf, NativeLong jpegSize,
      Pointer width, Pointer height, Pointer jpegSubsamp, Pointer jpegColorspace);

  /** Returns a static array of {int num; int denom;} pairs; the count goes to *numScalingFactors. */
  static native Pointer tjGetScalingFactors(Pointer numScalingFactors);

  static native int tjDecompress2(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer dstBuf,
      int width, int pitch, int height, int pixelFormat, int flags);

  /** Decodes into separate Y, Cb, Cr planes (dstPlanes: 3 pointers), scaling in the DCT to fit width x height. */
  static native int tjDecompressToYUVPlanes(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer dstPlanes,
      int width, Pointer strides, int height, int flags);

  /** Plane sizes as TurboJPEG lays them out (luma padded to whole chroma samples). */
  static native int tjPlaneWidth(int componentID, int width, int subsamp);

  static native int tjPlaneHeight(int componentID, int height, int subsamp);

  static native int tjCompressFromYUVPlanes(Pointer handle, Pointer srcPlanes, int width, Pointer strides, int height,
      int subsamp, Pointer jpegBufRef, Pointer jpegSizeRef, int jpegQual, int flags);

  static native Pointer tjInitCompress();

  static native int tjCompress2(Pointer handle, Pointer srcBuf, int width, int pitch, int height, int pixelFormat,
      Pointer jpegBufRef, Pointer jpegSizeRef, int jpegSubsamp, int jpegQual, int flags);

  static native void tjFree(Pointer buffer);

  static native int tjDestroy(Pointer handle);

  static native String tjGetErrorStr2(Pointer handle);
}
