package org.imgedge.imaging;

/**
 * One encoded variant: a JFIF JPEG with no metadata, already upright.
 *
 * @param width  pixels, as displayed
 * @param height pixels, as displayed
 */
record EncodedVariant(Preset preset, int width, int height, byte[] jpeg) {}
