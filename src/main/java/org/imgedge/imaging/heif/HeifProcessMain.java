package org.imgedge.imaging.heif;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imgedge.imaging.codec.HeifDecoder;

/**
 * The HEIF decoder's own process: it reads requests on stdin and answers on stdout (see {@link Protocol})
 * until stdin closes, which it does when the service exits, however it exits. A crash in libheif ends this
 * process only; the service answers that one upload 422 and starts another. Each request may map only the
 * memory it was admitted by, and a little more ({@link AddressSpaceLimit}).
 */
public final class HeifProcessMain {

  private HeifProcessMain() {}

  public static void main(String[] args) throws IOException {
    DataOutputStream answers = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    // stdout carries the protocol alone: anything a library prints goes to stderr
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    DataInputStream requests = new DataInputStream(new BufferedInputStream(System.in));
    while (true) {
      byte op;
      try {
        op = requests.readByte();
      } catch (EOFException e) {
        return;
      }
      Path file = Path.of(requests.readUTF());
      long allowedBytes = requests.readLong();
      int shrink = requests.readInt();
      try {
        answer(op, file, allowedBytes, shrink, answers);
      } finally {
        AddressSpaceLimit.lift();
      }
      answers.flush();
    }
  }

  private static void answer(byte op, Path file, long allowedBytes, int shrink, DataOutputStream out) throws IOException {
    HeifDecoder decoder;
    try {
      AddressSpaceLimit.allowMore(Files.size(file) + allowedBytes);
      decoder = HeifDecoder.open(file);
    } catch (IllegalArgumentException | IOException | OutOfMemoryError e) {
      refuse(out, e);
      return;
    }
    try (decoder) {
      if (op == Protocol.PROBE) {
        byte[] icc = decoder.iccProfile().orElse(new byte[0]);
        int primaries = decoder.nclxPrimaries().orElse(0);
        out.writeByte(Protocol.OK);
        out.writeInt(decoder.width());
        out.writeInt(decoder.height());
        out.writeInt(primaries);
        out.writeInt(icc.length);
        out.write(icc);
        return;
      }
      decoder.decode(new ShrunkAnswer(out, shrink));
    } catch (IllegalArgumentException e) {
      // thrown before the first row is written: the answer is still at its start
      refuse(out, e);
    }
  }

  private static void refuse(DataOutputStream out, Throwable e) throws IOException {
    out.writeByte(Protocol.REFUSED);
    out.writeUTF(String.valueOf(e.getMessage()));
  }
}
