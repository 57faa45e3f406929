package org.shapelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.compute.Nd4jRuntime;

/**
 * The real Fashion-MNIST, from Debian's package {@code dataset-fashion-mnist}, which CI installs ({@code .ci/run}).
 * Skipped on a machine without the package, but not under CI ({@code CI=true}): there a missing package fails, so
 * that a green run always means the real set was read.
 *
 * <p>The known values come from outside the reader: the labels Keras's tutorial prints, the mean and standard
 * deviation commonly used to normalize Fashion-MNIST, pixels read from the files with Python's {@code gzip} module,
 * and every byte of the four files unpacked here with {@link GZIPInputStream}.
 */
class FashionMnistDebianTest {

    static final Path FOLDER = Path.of(FashionMnist.DEBIAN_FOLDER);

    static FashionMnist data;
    static long loadNanos;
    static long heapBytes;

    @BeforeAll
    static void load() {
        boolean installed = Files.isDirectory(FOLDER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("CI must test the real Fashion-MNIST, but " + FOLDER + " is missing: .ci/run installs Debian's"
                    + " package " + FashionMnist.PACKAGE + " before mvn -B verify.");
        }
        if (!installed) {
            return;  // each test reports itself skipped (an assumption here would hide them all from the counts)
        }
        Nd4jRuntime.ensureLoaded();  // its seconds of native start-up are not the loader's
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        data = FashionMnist.loadData();
        loadNanos = System.nanoTime() - start;
        heapBytes = threads.getCurrentThreadAllocatedBytes() - heapBefore;
        System.out.printf("FashionMnist.loadData(): %d ms, %,d bytes allocated on the Java heap for %,d bytes of"
                + " data%n", loadNanos / 1_000_000, heapBytes, dataBytes());
    }

    @BeforeEach
    void installed() {
        assumeTrue(data != null, FOLDER + " is missing: sudo apt-get install " + FashionMnist.PACKAGE
                + " to test the real set (CI installs it).");
    }

    static long dataBytes() {
        return data.xTrain().length() + data.yTrain().length() + data.xTest().length() + data.yTest().length();
    }

    @Test
    void shapesAndDtypeAsKerasGivesThem() {
        assertArrayEquals(new long[] {60000, 28, 28}, data.xTrain().shape());
        assertArrayEquals(new long[] {60000}, data.yTrain().shape());
        assertArrayEquals(new long[] {10000, 28, 28}, data.xTest().shape());
        assertArrayEquals(new long[] {10000}, data.yTest().shape());
        for (INDArray array : List.of(data.xTrain(), data.yTrain(), data.xTest(), data.yTest())) {
            assertEquals(DataType.UINT8, array.dataType());
            assertEquals('c', array.ordering());
        }
    }

    @Test
    void everyClass6000TimesInTrainingAnd1000TimesInTest() {
        assertArrayEquals(IntStream.range(0, 10).map(c -> 6000).toArray(), classCounts(data.yTrain()));
        assertArrayEquals(IntStream.range(0, 10).map(c -> 1000).toArray(), classCounts(data.yTest()));
    }

    /** How often each label occurs; fails on a label outside [0, 10). */
    static int[] classCounts(INDArray labels) {
        int[] counts = new int[10];
        ByteBuffer values = labels.data().asNio();
        for (int i = 0; i < values.limit(); i++) {
            int label = values.get(i) & 0xFF;
            assertTrue(label < 10, "label " + i + " is " + label);
            counts[label]++;
        }
        return counts;
    }

    @Test
    void labelsAsKerasTutorialAndZalandosFilesHaveThem() {
        // Keras's tutorial prints train_labels as array([9, 0, 0, ..., 3, 0, 5], dtype=uint8) and test_labels[0] as 9.
        assertEquals(List.of(9, 0, 0, 3, 0, 2, 7, 2, 5, 5), first(data.yTrain(), 10));
        assertEquals(List.of(5, 1, 3, 0, 5), last(data.yTrain(), 5));
        assertEquals(List.of(9, 2, 1, 1, 6, 1, 4, 6, 5, 7), first(data.yTest(), 10));
        assertEquals(List.of(9, 1, 8, 1, 5), last(data.yTest(), 5));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(data.yTrain().getInt(0)));
    }

    static List<Integer> first(INDArray labels, int n) {
        return IntStream.range(0, n).mapToObj(labels::getInt).toList();
    }

    static List<Integer> last(INDArray labels, int n) {
        return IntStream.range((int) labels.length() - n, (int) labels.length()).mapToObj(labels::getInt).toList();
    }

    @Test
    void knownPixels() {
        // Read with Python: gzip.open("train-images-idx3-ubyte.gz").read()[16:], row 4 of image 0 (the ankle boot).
        int[] row4 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 36, 136, 127, 62, 54, 0, 0, 0, 1, 3, 4, 0, 0, 3};
        for (int col = 0; col < 28; col++) {
            assertEquals(row4[col], data.xTrain().getInt(0, 4, col), "xTrain[0, 4, " + col + "]");
        }
        assertEquals(255, data.xTrain().getInt(0, 14, 25));  // the brightest pixel of image 0
        assertEquals(16684, pixelSum(data.xTrain(), 59999));
        assertEquals(33456, pixelSum(data.xTest(), 0));
    }

    /** The sum of one image's pixels, in Java (ND4J would sum uint8 in uint8). */
    static long pixelSum(INDArray images, int image) {
        ByteBuffer pixels = images.data().asNio();
        long sum = 0;
        for (int i = image * 784; i < (image + 1) * 784; i++) {
            sum += pixels.get(i) & 0xFF;
        }
        return sum;
    }

    @Test
    void meanAndStandardDeviationAsPublished() {
        // Fashion-MNIST's training pixels / 255 have mean 0.2860 and standard deviation 0.3530.
        ByteBuffer pixels = data.xTrain().data().asNio();
        long sum = 0;
        long squares = 0;
        for (int i = 0; i < pixels.limit(); i++) {
            int value = pixels.get(i) & 0xFF;
            sum += value;
            squares += (long) value * value;
        }
        double n = pixels.limit();
        double mean = sum / n;
        double std = Math.sqrt(squares / n - mean * mean);
        assertEquals(0.2860, mean / 255, 5e-5);
        assertEquals(0.3530, std / 255, 5e-5);
    }

    @Test
    void everyByteAsInTheFiles() throws IOException {
        List<INDArray> arrays = List.of(data.xTrain(), data.yTrain(), data.xTest(), data.yTest());
        for (int i = 0; i < 4; i++) {
            Path file = FOLDER.resolve(FashionMnist.FILES.get(i) + ".gz");
            byte[] unpacked;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                unpacked = in.readAllBytes();
            }
            int header = i % 2 == 0 ? 16 : 8;  // images: magic and 3 sizes; labels: magic and 1 size
            assertEquals(unpacked.length - header, arrays.get(i).length(), file.toString());
            assertEquals(ByteBuffer.wrap(unpacked, header, unpacked.length - header), arrays.get(i).data().asNio(),
                    file.toString());
        }
    }

    @Test
    void noCopyOnTheJavaHeap() {
        // A heap copy of the training images alone would be 47,040,000 bytes; the reader's buffers are 64 KB.
        assertTrue(heapBytes < 8L << 20, "loadData allocated " + heapBytes + " bytes on the Java heap");
    }

    @Test
    void toStringNamesTheFolderAndFiles() {
        String text = data.toString();
        assertTrue(text.startsWith("Fashion-MNIST from /usr/share/datasets/fashion-mnist\n"
                + "  xTrain()  (60000, 28, 28)  uint8  train-images-idx3-ubyte.gz\n"
                + "  yTrain()  (60000,)         uint8  train-labels-idx1-ubyte.gz\n"
                + "  xTest()   (10000, 28, 28)  uint8  t10k-images-idx3-ubyte.gz\n"
                + "  yTest()   (10000,)         uint8  t10k-labels-idx1-ubyte.gz\n"), text);
    }
}
