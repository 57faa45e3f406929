package org.shapelab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files byte by byte as the format describes them, so the tests do not depend on the reader. */
final class IdxFiles {

    private IdxFiles() {
    }

    /** An IDX file of unsigned bytes: 00 00 08 rank, the sizes as big-endian 32-bit ints, the data. */
    static byte[] idx(int[] sizes, byte[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);  // big-endian by default
        bytes.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) sizes.length);
        for (int size : sizes) {
            bytes.putInt(size);
        }
        return bytes.put(data).array();
    }

    /** The bytes 0, 1, 2, ... wrapping at 256, so that every position has a known value above 127 too. */
    static byte[] counting(int length, int start) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (start + i);
        }
        return data;
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
