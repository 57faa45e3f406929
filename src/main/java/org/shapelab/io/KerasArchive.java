package org.shapelab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import org.shapelab.model.Model;
import org.shapelab.shape.ShapeException;

/**
 * Keras 3's {@code .keras} file ({@code keras/src/saving/saving_lib.py}: {@code save_model}, {@code load_model}): a zip
 * of {@code metadata.json}, {@code config.json} (the model's Keras JSON) and {@code model.weights.h5} (the layout of
 * {@link KerasWeightsLayout}). The same three files in a folder are Keras's unzipped form ({@code zipped=False}).
 */
final class KerasArchive {

    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    static final String WEIGHTS_NPZ = "model.weights.npz";
    /** The Keras version whose file layout {@link #save} writes (and that checked it loads the files). */
    static final String KERAS_VERSION = "3.15.1";

    private final String file;
    private final Map<String, byte[]> members;

    private KerasArchive(String file, Map<String, byte[]> members) {
        this.file = file;
        this.members = members;
    }

    static KerasArchive readZip(Path path) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.isDirectory()) {
                    try (var in = zip.getInputStream(entry)) {
                        members.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new ShapeException(path.getFileName() + " is not a readable .keras file (a zip archive): "
                    + e.getMessage() + ". Fix: save it again with model.save(\"m.keras\"); a download that was cut"
                    + " short cannot be read.");
        }
        return new KerasArchive(path.getFileName().toString(), members);
    }

    static KerasArchive readFolder(Path dir) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (String name : List.of(CONFIG, METADATA, WEIGHTS, WEIGHTS_NPZ)) {
            Path member = dir.resolve(name);
            if (Files.isRegularFile(member)) {
                try {
                    members.put(name, Files.readAllBytes(member));
                } catch (IOException e) {
                    throw new ShapeException("could not read " + member + ": " + e.getMessage() + ".");
                }
            }
        }
        return new KerasArchive(dir.getFileName() + "/", members);
    }

    boolean hasConfig() {
        return members.containsKey(CONFIG);
    }

    Model model() {
        byte[] config = members.get(CONFIG);
        if (config == null) {
            throw new ShapeException(file + " has no " + CONFIG + " (it has: " + String.join(", ", members.keySet())
                    + "). A .keras file holds config.json, metadata.json and model.weights.h5. Fix: save the model"
                    + " with model.save(\"m.keras\").");
        }
        Model model;
        try {
            model = Model.fromKerasJson(new String(config, StandardCharsets.UTF_8));
        } catch (ShapeException e) {
            throw new ShapeException(file + ", " + CONFIG + ": " + e.getMessage());
        }
        loadWeightsInto(model);
        return model;
    }

    void loadWeightsInto(Model model) {
        byte[] weights = members.get(WEIGHTS);
        if (weights == null) {
            throw new ShapeException(file + " has no " + WEIGHTS + (members.containsKey(WEIGHTS_NPZ)
                    ? " but " + WEIGHTS_NPZ + " (saved with weights_format=\"npz\", a pickled dict ShapeLab cannot"
                    + " read). Fix: save with model.save(\"m.keras\") and the default weights format (h5)."
                    : " (it has: " + String.join(", ", members.keySet()) + "). Fix: save the model with"
                    + " model.save(\"m.keras\")."));
        }
        String part = file + ", " + WEIGHTS;
        try (HdfFile h5 = Hdf5.open(weights, part)) {
            KerasWeightsLayout.read(model, h5, part);
        }
    }

    /** Writes {@code model} as Keras 3 does: the three members, {@code metadata.json} first. */
    static void save(Model model, Path path) {
        Path weights = null;
        try {
            weights = Files.createTempFile("shapelab-", ".weights.h5");
            writeWeights(model, weights);
            byte[] h5 = Files.readAllBytes(weights);
            String metadata = "{\"keras_version\": \"" + KERAS_VERSION + "\", \"date_saved\": \""
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")) + "\"}";
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, METADATA, metadata.getBytes(StandardCharsets.UTF_8));
                put(zip, CONFIG, Keras3Config.of(model).getBytes(StandardCharsets.UTF_8));
                put(zip, WEIGHTS, h5);
            }
        } catch (IOException e) {
            throw new ShapeException("save: could not write " + path + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ". Fix: choose a folder you can write to.");
        } finally {
            if (weights != null) {
                try {
                    Files.deleteIfExists(weights);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** The Keras 3 weights file alone ({@code model.save_weights("m.weights.h5")}). */
    static void writeWeights(Model model, Path path) {
        // jHDF 0.10.0 writes a corrupt object header ("bad object header version number" in h5py, "Object header v2
        // signature not matched" in jHDF) for a group without children beside a sibling whose subtree holds datasets,
        // which is where Keras puts its empty root "vars" group. So the root holds only "layers" (and layers without
        // weights get no group): Keras's H5IOStore.get finds no "vars" there and loads nothing for them, as it should.
        try (WritableHdfFile h5 = HdfFile.write(path)) {
            KerasWeightsLayout.write(model, h5);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    List<String> memberNames() {
        return new ArrayList<>(members.keySet());
    }
}
