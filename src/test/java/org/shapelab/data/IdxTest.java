package org.shapelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.shapelab.data.IdxFiles.counting;
import static org.shapelab.data.IdxFiles.gzip;
import static org.shapelab.data.IdxFiles.idx;
import static org.shapelab.data.IdxFiles.write;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.data.Idx.Axis;
import org.shapelab.shape.ShapeException;

/** The IDX reader on files written here byte by byte: values, shapes, and every check's message. */
class IdxTest {

    static final String FIX = "the caller's fix.";
    static final Axis[] IMAGES = {Axis.any("images"), new Axis("rows", 3), new Axis("cols", 2)};

    @TempDir
    Path dir;

    /** Two 3x2 images holding 250, 251, ..., 255, 0, 1, ..., 5: values above 127 must stay unsigned. */
    static byte[] twoImages() {
        return idx(new int[] {2, 3, 2}, counting(12, 250));
    }

    static String message(Path file, Axis... axes) {
        return assertThrows(ShapeException.class, () -> Idx.read(file, FIX, axes)).getMessage();
    }

    void assertTwoImages(INDArray images) {
        assertEquals(DataType.UINT8, images.dataType());
        assertArrayEquals(new long[] {2, 3, 2}, images.shape());
        assertEquals('c', images.ordering());
        assertEquals(250, images.getInt(0, 0, 0));
        assertEquals(251, images.getInt(0, 0, 1));
        assertEquals(252, images.getInt(0, 1, 0));
        assertEquals(255, images.getInt(0, 2, 1));
        assertEquals(0, images.getInt(1, 0, 0));
        assertEquals(5, images.getInt(1, 2, 1));
    }

    @Test
    void readsPlainFilesUnsignedInRowMajorOrder() {
        assertTwoImages(Idx.read(write(dir.resolve("images-idx3-ubyte"), twoImages()), FIX, IMAGES));
    }

    @Test
    void readsGzippedFilesByTheirBytesNotTheirName() {
        assertTwoImages(Idx.read(write(dir.resolve("images-idx3-ubyte.gz"), gzip(twoImages())), FIX, IMAGES));
        assertTwoImages(Idx.read(write(dir.resolve("no-suffix"), gzip(twoImages())), FIX, IMAGES));
    }

    @Test
    void sizesAreBigEndian() {
        // 300 labels: the size is 00 00 01 2c, which little-endian would read as 738,263,040.
        byte[] labels = counting(300, 0);
        INDArray read = Idx.read(write(dir.resolve("labels"), idx(new int[] {300}, labels)), FIX,
                Axis.any("labels"));
        assertArrayEquals(new long[] {300}, read.shape());
        assertEquals(255, read.getInt(255));
        assertEquals(0, read.getInt(256));
        assertEquals(43, read.getInt(299));
        byte[] back = new byte[300];
        read.data().asNio().get(back);
        assertTrue(Arrays.equals(labels, back));
    }

    @Test
    void wrongMagicNumber() {
        byte[] zip = {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0};
        Path file = write(dir.resolve("images.zip"), zip);
        assertEquals("Cannot read " + file + ": it is not an IDX file: IDX files start with the bytes 00 00, then the"
                + " type code and the number of dimensions.\n"
                + "  expected: 00 00 08 03 (unsigned bytes, 3 dimensions)\n"
                + "  received: the bytes 50 4b 03 04\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void wrongType() {
        byte[] floats = twoImages();
        floats[2] = 0x0D;
        Path file = write(dir.resolve("floats"), floats);
        assertEquals("Cannot read " + file + ": it holds 32-bit floats, not unsigned bytes (type code 08), the type"
                + " of MNIST-style images and labels.\n"
                + "  expected: type code 08 (unsigned byte)\n"
                + "  received: type code 0d (32-bit floats)\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void wrongNumberOfDimensions() {
        Path file = write(dir.resolve("labels.gz"), gzip(idx(new int[] {12}, counting(12, 0))));
        assertEquals("Cannot read " + file + ": it has 1 dimension where 3 were expected.\n"
                + "  expected: (images, 3 rows, 2 cols): 3 dimensions, magic 00 00 08 03\n"
                + "  received: 1 dimension: the bytes 00 00 08 01\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void wrongSize() {
        Path file = write(dir.resolve("wide"), idx(new int[] {2, 3, 3}, counting(18, 0)));
        assertEquals("Cannot read " + file + ": its header gives the shape (2, 3, 3), which does not fit: cols is 3.\n"
                + "  expected: (images, 3 rows, 2 cols)\n"
                + "  received: (2, 3, 3)\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void sizeZero() {
        Path file = write(dir.resolve("none"), idx(new int[] {0, 3, 2}, new byte[0]));
        assertTrue(message(file, IMAGES).startsWith("Cannot read " + file + ": its header gives the shape (0, 3, 2),"
                + " which does not fit: images is 0 (no data).\n"), message(file, IMAGES));
    }

    @Test
    void plainFileOneByteShort() {
        byte[] full = twoImages();
        Path file = write(dir.resolve("short"), Arrays.copyOf(full, full.length - 1));
        assertEquals("Cannot read " + file + ": it is 1 byte short: its end is missing, e.g. an interrupted copy.\n"
                + "  expected: 12 bytes of data after the header, for the shape (2, 3, 2)\n"
                + "  received: 11 bytes of data\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void plainFileTooLong() {
        byte[] full = twoImages();
        Path file = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 2));
        assertEquals("Cannot read " + file + ": it has 2 bytes more than its header says: it is not the file its"
                + " header describes.\n"
                + "  expected: 12 bytes of data after the header, for the shape (2, 3, 2)\n"
                + "  received: 14 bytes of data\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void gzippedDataShortOrTooLong() {
        byte[] full = twoImages();
        Path shortFile = write(dir.resolve("short.gz"), gzip(Arrays.copyOf(full, full.length - 5)));
        assertEquals("Cannot read " + shortFile + ": it is 5 bytes short once unpacked: its end is missing, e.g. an"
                + " interrupted copy.\n"
                + "  expected: 12 bytes of data after the header, for the shape (2, 3, 2)\n"
                + "  received: 7 bytes of data once unpacked\n"
                + "  fix:      the caller's fix.", message(shortFile, IMAGES));
        Path longFile = write(dir.resolve("long.gz"), gzip(Arrays.copyOf(full, full.length + 10_000)));
        assertTrue(message(longFile, IMAGES).startsWith("Cannot read " + longFile + ": it has 10,000 bytes more once"
                + " unpacked than its header says"), message(longFile, IMAGES));
    }

    @Test
    void gzipCutShort() {
        byte[] gz = gzip(idx(new int[] {2, 3, 2}, counting(12, 0)));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 12));
        assertEquals("Cannot read " + file + ": it starts like a gzip file but its gzip data is damaged (Unexpected"
                + " end of ZLIB input stream), e.g. by an interrupted copy.\n"
                + "  expected: complete gzip data, or the IDX file unzipped\n"
                + "  received: gzip data that cannot be unpacked\n"
                + "  fix:      the caller's fix.", message(file, IMAGES));
    }

    @Test
    void gzipHeaderPromisingMoreThanDeflateCanHold() {
        // A damaged size: 60000 images of 3x2 from 40-odd bytes of gzip. Refused before 360,000 bytes are allocated.
        Path file = write(dir.resolve("promise.gz"), gzip(idx(new int[] {60000, 3, 2}, counting(12, 0))));
        String message = message(file, IMAGES);
        assertTrue(message.startsWith("Cannot read " + file + ": its header promises 360,000 bytes of data, more than"
                + " a gzip file of "), message);
        assertTrue(message.contains("\n  expected: 360,000 bytes of data after the header, for the shape"
                + " (60000, 3, 2)\n  received: a gzip file of "), message);
    }

    @Test
    void headerBeyondOneArray() {
        Path file = write(dir.resolve("huge"), idx(new int[] {-1, 3, 2}, new byte[0]));  // 4,294,967,295 images
        String message = message(file, IMAGES);
        assertTrue(message.startsWith("Cannot read " + file + ": its header gives the shape (4294967295, 3, 2), more"
                + " data than one array can hold"), message);
    }

    @Test
    void emptyAndMissingFiles() {
        Path empty = write(dir.resolve("empty"), new byte[0]);
        assertEquals("Cannot read " + empty + ": it is shorter than the 4 bytes of an IDX magic number.\n"
                + "  expected: an IDX file starting 00 00 08 03\n"
                + "  received: an empty file\n"
                + "  fix:      the caller's fix.", message(empty, IMAGES));
        Path missing = dir.resolve("missing");
        assertEquals("Cannot read " + missing + ": there is no such file.\n"
                + "  expected: an IDX file at " + missing + "\n"
                + "  received: nothing there\n"
                + "  fix:      the caller's fix.", message(missing, IMAGES));
    }

    @Test
    void headerCutShort() {
        Path file = write(dir.resolve("cut"), Arrays.copyOf(twoImages(), 10));
        assertTrue(message(file, IMAGES).startsWith("Cannot read " + file + ": it ends inside its header (10 of 16"
                + " bytes).\n"), message(file, IMAGES));
    }
}
