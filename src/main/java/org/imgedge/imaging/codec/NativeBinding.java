package org.imgedge.imaging.codec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Binds a class's {@code native} methods to a shared library with JNA direct mapping, once, at class load. */
final class NativeBinding {

  private NativeBinding() {}

  /**
   * @return null when the library loaded and every method was bound; otherwise why not (the library is
   *     missing, or lacks a function), so the caller can fall back and say so once
   */
  static Throwable register(Class<?> binding, String library) {
    try {
      Native.register(binding, NativeLibrary.getInstance(library));
      return null;
    } catch (LinkageError | RuntimeException e) {
      return e;
    }
  }
}
