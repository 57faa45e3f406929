package org.shapelab.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.Nd4jRuntime;
import org.shapelab.shape.ShapeException;

/**
 * Reads an IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST), plain or gzipped, into a
 * {@code UINT8} array.
 *
 * <p>The format: four magic bytes {@code 00 00 <type> <rank>}, then {@code rank} big-endian 32-bit sizes, then the
 * values in row-major order. The data goes straight from the file (or from the gzip stream) into the array's
 * native memory, so 47 MB of images cost 47 MB and the Java heap holds no copy. Every check names the file and
 * ends with the caller's fix, because the reader cannot know where the file came from.
 */
final class Idx {

    /** An axis the file must have: its name in messages, and its size or {@link #ANY}. */
    record Axis(String name, long size) {

        static final long ANY = -1;

        static Axis any(String name) {
            return new Axis(name, ANY);
        }

        @Override
        public String toString() {
            return size == ANY ? name : size + " " + name;
        }
    }

    /** The type code of unsigned bytes, the only type MNIST-style files use. */
    private static final int UNSIGNED_BYTE = 0x08;
    /** Deflate cannot expand data more than about 1032 times; a header that claims more is damaged. */
    private static final long MAX_GZIP_RATIO = 1032;
    private static final int GZIP_BUFFER = 1 << 16;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    private Idx() {
    }

    /**
     * The file's values as a {@code UINT8} array of the file's shape.
     *
     * @param axes the axes the file must have, e.g. {@code any("images"), new Axis("rows", 28), ...}
     * @param fix  the sentence that ends every message about a damaged or wrong file
     */
    static INDArray read(Path file, String fix, Axis... axes) {
        Failure fail = new Failure(file, fix);
        try (FileChannel channel = FileChannel.open(file)) {
            long fileBytes = channel.size();
            boolean gzipped = isGzip(channel);
            // Closing the gzip channel ends its inflater (native zlib memory) and closes the file channel too.
            try (ReadableByteChannel in = gzipped
                    ? Channels.newChannel(new GZIPInputStream(Channels.newInputStream(channel), GZIP_BUFFER))
                    : channel) {
                long[] shape = header(in, fail, axes);
                long dataBytes = dataBytes(shape, fail);
                // Both checked before the array is allocated, so that a damaged header cannot ask for gigabytes.
                long headerBytes = 4L + 4L * shape.length;
                if (!gzipped && fileBytes != headerBytes + dataBytes) {
                    throw fail.lengthMismatch(shape, dataBytes, fileBytes - headerBytes, "");
                }
                if (gzipped && dataBytes > MAX_GZIP_RATIO * fileBytes) {
                    throw fail.because("its header promises " + count(dataBytes) + " of data, more than a gzip file"
                            + " of " + count(fileBytes) + " can unpack to (deflate expands at most " + MAX_GZIP_RATIO
                            + " times): the header is damaged or the file is cut short", count(dataBytes)
                            + " of data after the header, for the shape " + shapeText(shape), "a gzip file of "
                            + count(fileBytes));
                }
                Nd4jRuntime.ensureLoaded();
                INDArray array = Nd4j.createUninitialized(DataType.UINT8, shape);
                long read = fill(in, array.data().asNio());  // the array's own native memory
                long extra = read < dataBytes ? 0 : drain(in);
                if (read < dataBytes || extra > 0) {
                    throw fail.lengthMismatch(shape, dataBytes, read + extra, gzipped ? " once unpacked" : "");
                }
                return array;
            }
        } catch (NoSuchFileException e) {
            throw fail.because("there is no such file", "an IDX file at " + file.toAbsolutePath(), "nothing there");
        } catch (ZipException | EOFException e) {
            // GZIPInputStream's words for damaged deflate data and for gzip data that stops early.
            throw fail.because("it starts like a gzip file but its gzip data is damaged (" + e.getMessage()
                    + "), e.g. by an interrupted copy", "complete gzip data, or the IDX file unzipped",
                    "gzip data that cannot be unpacked");
        } catch (IOException e) {
            throw fail.because("it could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "a readable file", "an I/O error");
        }
    }

    /** Gzip files start with 1f 8b; IDX files with 00 00. Looks at the bytes, not the name. */
    private static boolean isGzip(FileChannel channel) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(2);
        channel.read(start, 0);
        return start.position() == 2 && (start.get(0) & 0xFF) == 0x1F && (start.get(1) & 0xFF) == 0x8B;
    }

    /** Reads and checks the magic number and the sizes; returns the shape. */
    private static long[] header(ReadableByteChannel in, Failure fail, Axis... axes) throws IOException {
        String expectedMagic = String.format(Locale.ROOT, "00 00 %02x %02x", UNSIGNED_BYTE, axes.length);
        ByteBuffer magic = ByteBuffer.allocate(4);
        if (fill(in, magic) < 4) {
            throw fail.because("it is shorter than the 4 bytes of an IDX magic number",
                    "an IDX file starting " + expectedMagic, hex(magic, magic.position()));
        }
        if (magic.get(0) != 0 || magic.get(1) != 0) {
            throw fail.because("it is not an IDX file: IDX files start with the bytes 00 00, then the type code and"
                    + " the number of dimensions", expectedMagic + " (unsigned bytes, " + dimensions(axes.length) + ")",
                    hex(magic, 4));
        }
        int type = magic.get(2) & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw fail.because("it holds " + typeName(type) + ", not unsigned bytes (type code 08), the type of"
                    + " MNIST-style images and labels", "type code 08 (unsigned byte)",
                    String.format(Locale.ROOT, "type code %02x (%s)", type, typeName(type)));
        }
        int rank = magic.get(3) & 0xFF;
        if (rank != axes.length) {
            throw fail.because("it has " + dimensions(rank) + " where " + axes.length + " were expected",
                    expectedShape(axes) + ": " + dimensions(axes.length) + ", magic " + expectedMagic,
                    dimensions(rank) + ": " + hex(magic, 4));
        }
        ByteBuffer sizes = ByteBuffer.allocate(4 * rank);  // big-endian, as IDX stores them
        if (fill(in, sizes) < sizes.capacity()) {
            throw fail.because("it ends inside its header (" + (4 + sizes.position()) + " of " + (4 + 4 * rank)
                    + " bytes)", expectedShape(axes), "a truncated header");
        }
        long[] shape = new long[rank];
        for (int axis = 0; axis < rank; axis++) {
            shape[axis] = Integer.toUnsignedLong(sizes.getInt(4 * axis));
        }
        for (int axis = 0; axis < rank; axis++) {
            if (shape[axis] == 0 || (axes[axis].size() != Axis.ANY && shape[axis] != axes[axis].size())) {
                throw fail.because("its header gives the shape " + shapeText(shape) + ", which does not fit: "
                        + axes[axis].name() + " is " + shape[axis] + (shape[axis] == 0 ? " (no data)" : ""),
                        expectedShape(axes), shapeText(shape));
            }
        }
        return shape;
    }

    private static long dataBytes(long[] shape, Failure fail) {
        long bytes = 1;
        for (long size : shape) {
            bytes *= size;  // below 2^31 times a size below 2^32: cannot overflow before the check stops it
            if (bytes > MAX_BYTES) {
                throw fail.because("its header gives the shape " + shapeText(shape) + ", more data than one array"
                        + " can hold (its native memory is read through an int-indexed buffer)", "at most "
                        + count(MAX_BYTES) + " of data", "the shape " + shapeText(shape));
            }
        }
        return bytes;
    }

    /** Reads until the buffer is full or the input ends; returns the bytes read. */
    private static long fill(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                break;
            }
        }
        return buffer.position();
    }

    /** The bytes left after the data (there should be none). */
    private static long drain(ReadableByteChannel in) throws IOException {
        ByteBuffer rest = ByteBuffer.allocate(8192);
        long extra = 0;
        for (int n; (n = in.read(rest.clear())) >= 0; ) {
            extra += n;
        }
        return extra;
    }

    private static String expectedShape(Axis... axes) {
        return tuple(Arrays.stream(axes).map(Axis::toString).toList());
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned bytes";
            case 0x09 -> "signed bytes";
            case 0x0B -> "16-bit integers";
            case 0x0C -> "32-bit integers";
            case 0x0D -> "32-bit floats";
            case 0x0E -> "64-bit floats";
            default -> "an unknown type";
        };
    }

    private static String hex(ByteBuffer bytes, int length) {
        StringJoiner joiner = new StringJoiner(" ", "the bytes ", "");
        joiner.setEmptyValue("an empty file");
        for (int i = 0; i < length; i++) {
            joiner.add(String.format(Locale.ROOT, "%02x", bytes.get(i)));
        }
        return joiner.toString();
    }

    private static String count(long bytes) {
        return String.format(Locale.ROOT, bytes == 1 ? "%,d byte" : "%,d bytes", bytes);
    }

    private static String dimensions(int rank) {
        return rank + (rank == 1 ? " dimension" : " dimensions");
    }

    /** Python tuple text, e.g. {@code (60000, 28, 28)} or {@code (60000,)}. */
    private static String tuple(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "(", items.size() == 1 ? ",)" : ")"));
    }

    /**
     * The shape as a tuple. {@code Shape.array} stops at 2^31 - 1 and an IDX size can be up to 2^32 - 1, which a
     * damaged header must still be able to show.
     */
    private static String shapeText(long[] shape) {
        return tuple(Arrays.stream(shape).mapToObj(Long::toString).toList());
    }

    /** Composes the messages: what is wrong with which file, what was expected and received, the caller's fix. */
    private record Failure(Path file, String fix) {

        ShapeException because(String problem, String expected, String received) {
            return new ShapeException("Cannot read " + file.toAbsolutePath() + ": " + problem + ".\n  expected: "
                    + expected + "\n  received: " + received + "\n  fix:      " + fix);
        }

        ShapeException lengthMismatch(long[] shape, long dataBytes, long actualBytes, String unpacked) {
            long difference = actualBytes - dataBytes;
            String what = difference < 0
                    ? "it is " + count(-difference) + " short" + unpacked + ": its end is missing, e.g. an interrupted"
                            + " copy"
                    : "it has " + count(difference) + " more" + unpacked + " than its header says: it is not the file"
                            + " its header describes";
            return because(what, count(dataBytes) + " of data after the header, for the shape " + shapeText(shape),
                    count(actualBytes) + " of data" + unpacked);
        }
    }
}
