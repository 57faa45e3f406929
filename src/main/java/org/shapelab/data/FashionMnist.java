package org.shapelab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.data.Idx.Axis;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Fashion-MNIST, the data set of Keras's first classification tutorial: 70,000 grey 28x28 pictures of clothes in
 * 10 classes, as {@code keras.datasets.fashion_mnist.load_data()} gives them.
 *
 * <pre>{@code
 * var data = FashionMnist.loadData();    // (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
 * data.xTrain();                         // (60000, 28, 28) uint8, pixels 0 (background) to 255
 * data.yTrain();                         // (60000,) uint8, labels 0 to 9
 * FashionMnist.CLASS_NAMES.get(9);       // "Ankle boot", the class of the first training image
 * }</pre>
 *
 * <p>The arrays are {@code DataType.UINT8}, as Keras gives uint8 (ND4J prints it {@code UBYTE}: the two names are
 * one constant). Models want float32 scaled to [0, 1], as the tutorial's {@code train_images / 255.0}:
 * <pre>{@code
 * INDArray x = data.xTrain().castTo(DataType.FLOAT).divi(255);   // (60000, 28, 28) float32 in [0, 1]
 * }</pre>
 * Cast before any arithmetic: ND4J computes on uint8 in uint8, so even {@code sumNumber()} wraps around at 256.
 * A {@code Conv2D} also wants the channel axis: {@code x.reshape(60000, 28, 28, 1)}.
 *
 * <p>The files come from Debian's package {@code dataset-fashion-mnist} (MIT licence, Zalando SE), which installs
 * Zalando's four gzipped IDX files in {@code /usr/share/datasets/fashion-mnist}; {@link #loadData(Path)} reads the
 * same four files, gzipped or not, from another folder. Every call reads the files anew (about half a second
 * gzipped, a tenth unzipped) into 55 MB of native memory; the Java heap holds no copy, only 64 KB buffers.
 */
public final class FashionMnist {

    /** The class of each label, in the order of Keras's tutorial: {@code CLASS_NAMES.get(label)}. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist";
    static final String PACKAGE = "dataset-fashion-mnist";

    /** Zalando's four files without {@code .gz}, in the order of the four arrays. */
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final List<String> ACCESSORS = List.of("xTrain()", "yTrain()", "xTest()", "yTest()");
    private static final int SIDE = 28;

    private final Path folder;
    private final List<Path> files;
    private final INDArray xTrain;
    private final INDArray yTrain;
    private final INDArray xTest;
    private final INDArray yTest;

    private FashionMnist(Path folder, List<Path> files, INDArray xTrain, INDArray yTrain, INDArray xTest,
            INDArray yTest) {
        this.folder = folder;
        this.files = files;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xTest = xTest;
        this.yTest = yTest;
    }

    /**
     * Reads Fashion-MNIST from {@code /usr/share/datasets/fashion-mnist}, where
     * {@code sudo apt-get install dataset-fashion-mnist} puts it.
     */
    public static FashionMnist loadData() {
        return load(Path.of(DEBIAN_FOLDER), true);
    }

    /**
     * Reads Fashion-MNIST from a folder that holds Zalando's four files, gzipped or not:
     * {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz}
     * and {@code t10k-labels-idx1-ubyte.gz}.
     */
    public static FashionMnist loadData(Path folder) {
        return load(folder, folder.toAbsolutePath().normalize().equals(Path.of(DEBIAN_FOLDER)));
    }

    /** {@code debian}: the folder is the package's, so the messages say how to install or reinstall it. */
    static FashionMnist load(Path folder, boolean debian) {
        List<Path> files = locate(folder, debian);
        String fix = debian
                ? "reinstall Debian's package: sudo apt-get install --reinstall " + PACKAGE
                : "copy Zalando's original files into " + folder.toAbsolutePath().normalize() + " again ("
                        + fileNames() + "), or use Debian's package: sudo apt-get install " + PACKAGE
                        + ", then FashionMnist.loadData()";
        INDArray xTrain = images(files.get(0), fix);
        INDArray yTrain = labels(files.get(1), files.get(0), xTrain, fix);
        INDArray xTest = images(files.get(2), fix);
        INDArray yTest = labels(files.get(3), files.get(2), xTest, fix);
        return new FashionMnist(folder, files, xTrain, yTrain, xTest, yTest);
    }

    /** The training images, {@code (60000, 28, 28)} uint8: Keras's {@code x_train}. */
    public INDArray xTrain() {
        return xTrain;
    }

    /** The training labels, {@code (60000,)} uint8 from 0 to 9: Keras's {@code y_train}. */
    public INDArray yTrain() {
        return yTrain;
    }

    /** The test images, {@code (10000, 28, 28)} uint8: Keras's {@code x_test}. */
    public INDArray xTest() {
        return xTest;
    }

    /** The test labels, {@code (10000,)} uint8 from 0 to 9: Keras's {@code y_test}. */
    public INDArray yTest() {
        return yTest;
    }

    /** The four arrays (shape, dtype, file), what the labels mean, and how a model wants the pixels. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Fashion-MNIST from ").append(folder.toAbsolutePath().normalize())
                .append('\n');
        List<INDArray> arrays = List.of(xTrain, yTrain, xTest, yTest);
        for (int i = 0; i < arrays.size(); i++) {
            text.append(String.format(Locale.ROOT, "  %-9s %-16s uint8  %s\n", ACCESSORS.get(i),
                    Shape.array(arrays.get(i).shape()), files.get(i).getFileName()));
        }
        return text.append("  labels 0 to 9: CLASS_NAMES ")
                .append(CLASS_NAMES.stream().map(name -> '"' + name + '"').collect(Collectors.joining(", ", "[", "]")))
                .append("\n  for a model: xTrain().castTo(DataType.FLOAT).divi(255) is float32 in [0, 1]").toString();
    }

    private static INDArray images(Path file, String fix) {
        return Idx.read(file, fix, Axis.any("images"), new Axis("rows", SIDE), new Axis("cols", SIDE));
    }

    /** Reads a labels file and checks it against its images: one label per image, every label a class. */
    private static INDArray labels(Path file, Path imagesFile, INDArray images, String fix) {
        INDArray labels = Idx.read(file, fix, Axis.any("labels"));
        if (labels.length() != images.size(0)) {
            throw new ShapeException("FashionMnist.loadData: " + file.toAbsolutePath() + " has " + labels.length()
                    + " labels but " + imagesFile.toAbsolutePath() + " has " + images.size(0) + " images.\n"
                    + "  expected: " + images.size(0) + " labels, one per image\n"
                    + "  received: " + labels.length() + " labels\n"
                    + "  fix:      " + fix);
        }
        ByteBuffer values = labels.data().asNio();
        for (int i = 0; i < values.limit(); i++) {
            int label = values.get(i) & 0xFF;
            if (label >= CLASS_NAMES.size()) {
                throw new ShapeException("FashionMnist.loadData: label " + i + " of " + file.toAbsolutePath() + " is "
                        + label + ", which is not a Fashion-MNIST class.\n"
                        + "  expected: labels 0 to 9 (CLASS_NAMES)\n"
                        + "  received: " + label + "\n"
                        + "  fix:      " + fix);
            }
        }
        return labels;
    }

    /** Each of the four files, unzipped or else gzipped; a complete message if any is missing. */
    private static List<Path> locate(Path folder, boolean debian) {
        List<Path> found = FILES.stream()
                .map(name -> Stream.of(name, name + ".gz").map(folder::resolve).filter(Files::isRegularFile)
                        .findFirst().orElse(null))
                .toList();
        if (!found.contains(null)) {
            return found;
        }
        Path where = folder.toAbsolutePath().normalize();
        String problem;
        String received;
        if (!Files.isDirectory(folder)) {
            problem = "there is no folder " + where + (debian ? ": Fashion-MNIST is not installed" : "");
            received = "no folder " + where;
        } else {
            problem = "the folder " + where + " lacks " + FILES.stream()
                    .filter(name -> found.get(FILES.indexOf(name)) == null).map(name -> name + ".gz")
                    .collect(Collectors.joining(", "));
            received = "a folder holding " + listing(folder);
        }
        String install = "install Debian's package: sudo apt-get install " + PACKAGE + " (on Binder: add the line "
                + PACKAGE + " to binder/apt.txt), then FashionMnist.loadData() reads it from " + DEBIAN_FOLDER;
        String elsewhere = "for the four files in another folder: FashionMnist.loadData(Path.of(\"that/folder\"))";
        throw new ShapeException("FashionMnist.loadData: " + problem + ".\n"
                + "  expected: Zalando's four files in " + where + ": " + fileNames() + "\n"
                + "  received: " + received + "\n"
                + "  fix:      " + (debian ? install + "; or, " + elsewhere
                        : "check the folder; " + elsewhere + "; or " + install));
    }

    private static String fileNames() {
        return String.join(".gz, ", FILES) + ".gz (gzipped or not)";
    }

    /** What the folder holds, for the message about missing files. */
    private static String listing(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            List<String> names = entries.map(path -> path.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) {
                return "nothing";
            }
            return names.size() <= 8 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 8)) + " and " + (names.size() - 8) + " more";
        } catch (IOException e) {
            return "files that could not be listed (" + e.getMessage() + ")";
        }
    }
}
