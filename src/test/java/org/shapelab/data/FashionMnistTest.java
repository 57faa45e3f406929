package org.shapelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.shapelab.data.IdxFiles.counting;
import static org.shapelab.data.IdxFiles.gzip;
import static org.shapelab.data.IdxFiles.idx;
import static org.shapelab.data.IdxFiles.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.shape.ShapeException;

/**
 * {@link FashionMnist} on a small set written here (3 training and 2 test images, the training files gzipped, the
 * test files not): shapes, values, {@code toString()}, and the messages for missing and mismatched files.
 */
class FashionMnistTest {

    @TempDir
    Path dir;

    static final byte[] TRAIN_LABELS = {9, 0, 3};
    static final byte[] TEST_LABELS = {7, 1};

    /** Training pixels count up from 0, test pixels from 100, both wrapping at 256. */
    void writeSmallSet(Path folder) throws IOException {
        Files.createDirectories(folder);
        write(folder.resolve("train-images-idx3-ubyte.gz"), gzip(idx(new int[] {3, 28, 28}, counting(3 * 784, 0))));
        write(folder.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(new int[] {3}, TRAIN_LABELS)));
        write(folder.resolve("t10k-images-idx3-ubyte"), idx(new int[] {2, 28, 28}, counting(2 * 784, 100)));
        write(folder.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {2}, TEST_LABELS));
    }

    static String message(Path folder) {
        return assertThrows(ShapeException.class, () -> FashionMnist.loadData(folder)).getMessage();
    }

    @Test
    void classNamesInTheOrderOfKerasTutorial() {
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), FashionMnist.CLASS_NAMES);
        assertThrows(UnsupportedOperationException.class, () -> FashionMnist.CLASS_NAMES.set(0, "T-shirt"));
    }

    @Test
    void readsTheFourFilesGzippedOrNot() throws IOException {
        writeSmallSet(dir);
        FashionMnist data = FashionMnist.loadData(dir);
        assertArrayEquals(new long[] {3, 28, 28}, data.xTrain().shape());
        assertArrayEquals(new long[] {3}, data.yTrain().shape());
        assertArrayEquals(new long[] {2, 28, 28}, data.xTest().shape());
        assertArrayEquals(new long[] {2}, data.yTest().shape());
        for (INDArray array : List.of(data.xTrain(), data.yTrain(), data.xTest(), data.yTest())) {
            assertEquals(DataType.UINT8, array.dataType());
        }
        // Pixel (image, row, col) of the training set is (784 image + 28 row + col) mod 256.
        assertEquals(0, data.xTrain().getInt(0, 0, 0));
        assertEquals(255, data.xTrain().getInt(0, 9, 3));        // 28 * 9 + 3 = 255
        assertEquals(0, data.xTrain().getInt(0, 9, 4));          // 256 wraps to 0
        assertEquals(2351 % 256, data.xTrain().getInt(2, 27, 27));
        assertEquals(100, data.xTest().getInt(0, 0, 0));
        assertEquals((100 + 784 + 28 + 1) % 256, data.xTest().getInt(1, 1, 1));
        assertEquals(List.of(9, 0, 3),
                List.of(data.yTrain().getInt(0), data.yTrain().getInt(1), data.yTrain().getInt(2)));
        assertEquals(List.of(7, 1), List.of(data.yTest().getInt(0), data.yTest().getInt(1)));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(data.yTrain().getInt(0)));
    }

    @Test
    void toStringShowsShapesDtypeAndFiles() throws IOException {
        writeSmallSet(dir);
        assertEquals("Fashion-MNIST from " + dir + "\n"
                + "  xTrain()  (3, 28, 28)      uint8  train-images-idx3-ubyte.gz\n"
                + "  yTrain()  (3,)             uint8  train-labels-idx1-ubyte.gz\n"
                + "  xTest()   (2, 28, 28)      uint8  t10k-images-idx3-ubyte\n"
                + "  yTest()   (2,)             uint8  t10k-labels-idx1-ubyte\n"
                + "  labels 0 to 9: CLASS_NAMES [\"T-shirt/top\", \"Trouser\", \"Pullover\", \"Dress\", \"Coat\","
                + " \"Sandal\", \"Shirt\", \"Sneaker\", \"Bag\", \"Ankle boot\"]\n"
                + "  for a model: xTrain().castTo(DataType.FLOAT).divi(255) is float32 in [0, 1]",
                FashionMnist.loadData(dir).toString());
    }

    @Test
    void theJavadocsOneLinerGivesFloat32InZeroToOne() throws IOException {
        writeSmallSet(dir);
        INDArray x = FashionMnist.loadData(dir).xTrain().castTo(DataType.FLOAT).divi(255);
        assertEquals(DataType.FLOAT, x.dataType());
        assertArrayEquals(new long[] {3, 28, 28}, x.shape());
        assertEquals(255 / 255f, x.getFloat(0, 9, 3));
        assertEquals(0f, x.getFloat(0, 9, 4));
        assertEquals(128 / 255f, x.getFloat(0, 4, 16));         // 28 * 4 + 16 = 128
    }

    @Test
    void uint8ArithmeticWrapsAsTheJavadocWarns() {
        INDArray pixels = Nd4j.create(new byte[] {(byte) 200, 100}, new long[] {2}, DataType.UINT8);
        assertEquals(44, pixels.sumNumber().intValue());                           // 300 mod 256
        assertEquals(300, pixels.castTo(DataType.FLOAT).sumNumber().intValue());
    }

    @Test
    void missingFolder() {
        Path missing = dir.resolve("fashion");
        assertEquals("FashionMnist.loadData: there is no folder " + missing + ".\n"
                + "  expected: Zalando's four files in " + missing + ": train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzipped or not)\n"
                + "  received: no folder " + missing + "\n"
                + "  fix:      check the folder; for the four files in another folder:"
                + " FashionMnist.loadData(Path.of(\"that/folder\")); or install Debian's package: sudo apt-get install"
                + " dataset-fashion-mnist (on Binder: add the line dataset-fashion-mnist to binder/apt.txt), then"
                + " FashionMnist.loadData() reads it from /usr/share/datasets/fashion-mnist", message(missing));
    }

    @Test
    void packageNotInstalled() {
        // What loadData() says on a machine without the package, shown for a folder that is missing here too.
        Path missing = dir.resolve("datasets").resolve("fashion-mnist");
        String message = assertThrows(ShapeException.class, () -> FashionMnist.load(missing, true)).getMessage();
        assertEquals("FashionMnist.loadData: there is no folder " + missing + ": Fashion-MNIST is not installed.\n"
                + "  expected: Zalando's four files in " + missing + ": train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzipped or not)\n"
                + "  received: no folder " + missing + "\n"
                + "  fix:      install Debian's package: sudo apt-get install dataset-fashion-mnist (on Binder: add the"
                + " line dataset-fashion-mnist to binder/apt.txt), then FashionMnist.loadData() reads it from"
                + " /usr/share/datasets/fashion-mnist; or, for the four files in another folder:"
                + " FashionMnist.loadData(Path.of(\"that/folder\"))", message);
    }

    @Test
    void missingFilesAreNamedWithWhatTheFolderHolds() throws IOException {
        writeSmallSet(dir);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        write(dir.resolve("notes.txt"), new byte[0]);
        String message = message(dir);
        assertTrue(message.startsWith("FashionMnist.loadData: the folder " + dir + " lacks train-labels-idx1-ubyte.gz,"
                + " t10k-images-idx3-ubyte.gz.\n"), message);
        assertTrue(message.contains("\n  received: a folder holding notes.txt, t10k-labels-idx1-ubyte,"
                + " train-images-idx3-ubyte.gz\n"), message);
        assertTrue(message.contains("sudo apt-get install dataset-fashion-mnist"), message);
    }

    @Test
    void labelsThatDoNotMatchTheImages() throws IOException {
        writeSmallSet(dir);
        Path labels = write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {3}, new byte[] {1, 2, 3}));
        assertEquals("FashionMnist.loadData: " + labels + " has 3 labels but " + dir.resolve("t10k-images-idx3-ubyte")
                + " has 2 images.\n"
                + "  expected: 2 labels, one per image\n"
                + "  received: 3 labels\n"
                + "  fix:      copy Zalando's original files into " + dir + " again (train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzipped or not)),"
                + " or use Debian's package: sudo apt-get install dataset-fashion-mnist, then FashionMnist.loadData()",
                message(dir));
        write(labels, idx(new int[] {2}, new byte[] {4, 10}));
        String message = message(dir);
        assertTrue(message.startsWith("FashionMnist.loadData: label 1 of " + labels + " is 10, which is not a"
                + " Fashion-MNIST class.\n  expected: labels 0 to 9 (CLASS_NAMES)\n  received: 10\n"), message);
    }

    @Test
    void imagesOfAnotherSize() throws IOException {
        writeSmallSet(dir);
        Path images = write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {2, 32, 32}, counting(2048, 0)));
        String message = message(dir);
        assertTrue(message.startsWith("Cannot read " + images + ": its header gives the shape (2, 32, 32), which does"
                + " not fit: rows is 32.\n  expected: (images, 28 rows, 28 cols)\n  received: (2, 32, 32)\n"
                + "  fix:      copy Zalando's original files into " + dir + " again"), message);
    }

    @Test
    void swappedImagesAndLabels() throws IOException {
        writeSmallSet(dir);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Files.copy(dir.resolve("train-labels-idx1-ubyte.gz"), images, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(message(dir).startsWith("Cannot read " + images + ": it has 1 dimension where 3 were expected.\n"),
                message(dir));
    }
}
