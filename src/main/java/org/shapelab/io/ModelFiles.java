package org.shapelab.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.layers.Activations;
import org.shapelab.model.Model;
import org.shapelab.shape.ShapeException;

/**
 * Opens and writes the model files instructors have; {@code Model.load(path)}, {@code model.loadWeights(path)} and
 * {@code model.save(path)} call it. The kind of file is told by its content (zip, HDF5 or JSON), not only its name:
 * <ul>
 *   <li>{@code .keras} (Keras 3 {@code model.save}; also its unzipped folder): model and weights;</li>
 *   <li>{@code .h5} (legacy HDF5 of tf.keras 2 and Keras 3 {@code model.save("m.h5")}): model and weights;</li>
 *   <li>{@code .weights.h5} (Keras 3 {@code save_weights}) and tf.keras 2 weights-only {@code .h5}: weights;</li>
 *   <li>TensorFlow.js {@code model.json} with its {@code .bin} shards (or their folder): model and weights;</li>
 *   <li>NumPy {@code .npz} ({@code np.savez("w.npz", *model.get_weights())}): weights.</li>
 * </ul>
 */
public final class ModelFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private enum Kind { ZIP, HDF5, JSON, FOLDER, OTHER }

    private ModelFiles() {
    }

    /** The model (architecture and weights) a {@code .keras}, legacy {@code .h5} or TensorFlow.js file holds. */
    public static Model load(Path path) {
        return guarded(path, () -> read(path, fileName(path)));
    }

    private static Model read(Path path, String file) {
        switch (kind(path, "Model.load")) {
            case FOLDER -> {
                if (Files.isRegularFile(path.resolve("model.json"))) {
                    return load(path.resolve("model.json"));
                }
                KerasArchive folder = KerasArchive.readFolder(path);
                if (!folder.hasConfig()) {
                    throw new ShapeException("Model.load: the folder " + path + " holds neither model.json"
                            + " (TensorFlow.js) nor config.json (an unzipped .keras). Fix: pass the model file itself.");
                }
                return folder.model();
            }
            case ZIP -> {
                KerasArchive archive = KerasArchive.readZip(path);
                if (!archive.hasConfig() && archive.memberNames().stream().allMatch(n -> n.endsWith(".npy"))) {
                    throw weightsOnly(file, "a NumPy .npz of weights");
                }
                return archive.model();
            }
            case HDF5 -> {
                try (HdfFile h5 = Hdf5.open(path)) {
                    String config = LegacyH5.modelConfig(h5);
                    if (config == null) {
                        throw weightsOnly(file, KerasWeightsLayout.matches(h5)
                                ? "a Keras 3 weights file (model.save_weights(\"m.weights.h5\"))"
                                : "an HDF5 file without the root attribute 'model_config' (weights only, or not Keras's)");
                    }
                    Model model;
                    try {
                        model = Model.fromKerasJson(config);
                    } catch (ShapeException e) {
                        throw new ShapeException(file + ", attribute model_config: " + e.getMessage());
                    }
                    LegacyH5.read(model, h5, file);
                    return model;
                }
            }
            case JSON -> {
                JsonNode root = json(path);
                if (TfjsModel.matches(root)) {
                    // TensorFlow.js computes hard_sigmoid as tf.keras 2 did, clip(0.2x + 0.5, 0, 1), and its recurrent
                    // layers use it by default: a model it trained keeps that function to give its numbers
                    Activations.rename(root, "hard_sigmoid", Activations.HARD_SIGMOID_KERAS2);
                }
                Model model;
                try {
                    model = Model.fromKerasJson(root.toString());
                } catch (ShapeException e) {
                    throw new ShapeException(file + ": " + e.getMessage());
                }
                if (root.has("weightsManifest")) {
                    TfjsModel.readWeights(model, root, path);
                }
                return model;
            }
            default -> throw new ShapeException("Model.load: " + file + " is none of the model files ShapeLab reads"
                    + " (it is not a zip, HDF5 or JSON file). ShapeLab reads .keras (Keras 3 model.save), .h5 (legacy"
                    + " model.save(\"m.h5\")) and TensorFlow.js model.json; weights alone with model.loadWeights"
                    + " (.weights.h5, .npz).");
        }
    }

    /**
     * Loads weights into {@code model}: Keras 3 {@code .weights.h5}, legacy {@code .h5} (by layer name), the weights
     * of a {@code .keras} file or TensorFlow.js {@code model.json}, or a NumPy {@code .npz}. Every weight of the
     * model must be in the file with its Keras shape; nothing changes otherwise.
     */
    public static void loadWeights(Model model, Path path) {
        guarded(path, () -> {
            readWeights(model, path, fileName(path));
            return null;
        });
    }

    private static void readWeights(Model model, Path path, String file) {
        switch (kind(path, "loadWeights")) {
            case FOLDER -> {
                if (Files.isRegularFile(path.resolve("model.json"))) {
                    loadWeights(model, path.resolve("model.json"));
                } else {
                    KerasArchive.readFolder(path).loadWeightsInto(model);
                }
            }
            case ZIP -> {
                KerasArchive archive = KerasArchive.readZip(path);
                if (archive.hasConfig() || archive.memberNames().contains(KerasArchive.WEIGHTS)) {
                    archive.loadWeightsInto(model);
                } else {
                    ModelRuntime.of(model).loadWeightsNpz(path);
                }
            }
            case HDF5 -> {
                try (HdfFile h5 = Hdf5.open(path)) {
                    if (LegacyH5.matches(h5)) {
                        LegacyH5.read(model, h5, file);
                    } else if (KerasWeightsLayout.matches(h5)) {
                        KerasWeightsLayout.read(model, h5, file);
                    } else {
                        throw new ShapeException("loadWeights: " + file + " is an HDF5 file but not Keras weights:"
                                + " it has neither a 'layers' group (Keras 3 save_weights) nor 'model_weights' or a"
                                + " 'layer_names' attribute (legacy .h5). Its top level holds: "
                                + String.join(", ", h5.getChildren().keySet()) + ".");
                    }
                }
            }
            case JSON -> TfjsModel.readWeights(model, json(path), path);
            default -> throw new ShapeException("loadWeights: " + file + " is not a weights file ShapeLab reads (not a"
                    + " zip, HDF5 or JSON file). Fix: save weights with model.save_weights(\"m.weights.h5\"), or"
                    + " np.savez(\"w.npz\", *model.get_weights()).");
        }
    }

    /**
     * Writes {@code model} to a file Keras 3 opens with {@code keras.models.load_model}: {@code .keras} (model and
     * weights), or {@code .weights.h5} (weights only, as {@code model.save_weights}).
     */
    public static void save(Model model, Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".weights.h5")) {
            KerasArchive.writeWeights(model, path);
        } else if (name.endsWith(".keras")) {
            KerasArchive.save(model, path);
        } else {
            throw new ShapeException("save: " + path.getFileName() + " should end in .keras (the model, as Keras 3's"
                    + " model.save writes it) or .weights.h5 (its weights only). The legacy .h5 format is not"
                    + " written. Fix: model.save(Path.of(\"" + stem(path.getFileName().toString()) + ".keras\")).");
        }
    }

    /**
     * Runs a read; a failure of the HDF5 or zip library inside a damaged file (jHDF reads lazily, so it can come
     * late) becomes a ShapeException naming the file, so a notebook shows the message, not a stack trace.
     */
    private static <T> T guarded(Path path, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ShapeException e) {
            throw e;
        } catch (io.jhdf.exceptions.HdfException e) {
            throw Hdf5.unreadable(fileName(path), e);
        } catch (RuntimeException e) {
            throw new ShapeException(fileName(path) + " could not be read: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ". Fix: save the file again; if it opens in Keras, please report it to ShapeLab"
                    + " with the file.");
        }
    }

    private static Kind kind(Path path, String verb) {
        if (path == null) {
            throw new ShapeException(verb + ": the path is null. Fix: pass Path.of(\"model.keras\").");
        }
        if (Files.isDirectory(path)) {
            return Kind.FOLDER;
        }
        if (!Files.isRegularFile(path)) {
            throw new ShapeException(verb + ": there is no file " + path.toAbsolutePath() + ". Fix: check the name;"
                    + " a relative path starts in " + Path.of("").toAbsolutePath() + ".");
        }
        byte[] start = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(start, 0, 8);
        } catch (IOException e) {
            throw new ShapeException(verb + ": could not read " + path + ": " + e.getMessage() + ".");
        }
        if (n >= 4 && start[0] == 'P' && start[1] == 'K') {
            return Kind.ZIP;
        }
        if (Hdf5.isHdf5(start)) {
            return Kind.HDF5;
        }
        String text = new String(start, 0, n, StandardCharsets.UTF_8).strip();
        return text.startsWith("{") ? Kind.JSON : Kind.OTHER;
    }

    private static ShapeException weightsOnly(String file, String what) {
        return new ShapeException("Model.load: " + file + " is " + what + ": it holds weights but not the model's"
                + " layers. Fix: build the same model (in Java, or Model.fromKerasJson(json)) and call"
                + " model.loadWeights(Path.of(\"" + file + "\")); or save the whole model in Python with"
                + " model.save(\"m.keras\").");
    }

    private static JsonNode json(Path path) {
        try {
            return MAPPER.readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ShapeException(fileName(path) + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + "). Fix: use model.json as TensorFlow.js saved it.");
        } catch (IOException e) {
            throw new ShapeException("could not read " + path + ": " + e.getMessage() + ".");
        }
    }

    private static String fileName(Path path) {
        return path == null || path.getFileName() == null ? String.valueOf(path) : path.getFileName().toString();
    }

    private static String stem(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
