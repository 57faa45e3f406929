package org.shapelab.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.shape.ShapeException;

/** Small reading helpers over jHDF: groups and datasets by path, string attributes, datasets as float32 arrays. */
final class Hdf5 {

    /** The eight bytes every HDF5 file starts with (without a user block). */
    static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Hdf5() {
    }

    static boolean isHdf5(byte[] start) {
        return start.length >= 8 && Arrays.equals(Arrays.copyOf(start, 8), SIGNATURE);
    }

    static HdfFile open(java.nio.file.Path path) {
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw unreadable(path.getFileName().toString(), e);
        }
    }

    /** A jHDF failure while reading (a file cut short, or damaged) as a message for the learner. */
    static ShapeException unreadable(String file, RuntimeException e) {
        return new ShapeException(file + " is not a readable HDF5 file (" + e.getMessage() + "). Fix: save it again"
                + " with Keras (model.save / model.save_weights); a copy that was cut short cannot be read.");
    }

    static HdfFile open(byte[] bytes, String file) {
        try {
            return HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    /** The node at this path (relative to {@code group}), or null. */
    static Node node(Group group, String path) {
        Group at = group;
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            Node child = at.getChildren().get(parts[i]);
            if (child == null) {
                return null;
            }
            if (i == parts.length - 1) {
                return child;
            }
            if (!(child instanceof Group g)) {
                return null;
            }
            at = g;
        }
        return at;
    }

    static Group group(Group group, String path) {
        return node(group, path) instanceof Group g ? g : null;
    }

    /** A string attribute (variable or fixed length, or bytes), or null if absent. */
    static String stringAttribute(Node node, String name) {
        Attribute attribute = node.getAttribute(name);
        if (attribute == null) {
            return null;
        }
        Object data = attribute.getData();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof String[] strings && strings.length == 1) {
            return strings[0];
        }
        if (data instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(data);
    }

    /**
     * A list-of-strings attribute such as {@code weight_names}, or null if absent. Keras splits one that would pass
     * HDF5's 64 KB object header limit into {@code name0, name1, ...} ({@code legacy_h5_format.py}:
     * {@code save_attributes_to_hdf5_group}); those are joined.
     */
    static List<String> stringsAttribute(Node node, String name) {
        Attribute attribute = node.getAttribute(name);
        if (attribute == null) {
            if (node.getAttribute(name + "0") == null) {
                return null;
            }
            List<String> joined = new java.util.ArrayList<>();
            for (int i = 0; node.getAttribute(name + i) != null; i++) {
                joined.addAll(stringsAttribute(node, name + i));
            }
            return joined;
        }
        Object data = attribute.getData();
        if (data instanceof String[] strings) {
            return List.of(strings);
        }
        if (data instanceof String s) {
            return List.of(s);
        }
        if (attribute.isEmpty()) {
            return List.of();
        }
        throw new ShapeException("attribute '" + name + "' of " + node.getPath() + " is not a list of strings ("
                + data.getClass().getSimpleName() + ").");
    }

    /** A numeric dataset as a float32 array in C order, of the dataset's shape. */
    static INDArray array(Dataset dataset, String where) {
        long[] shape = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
        if (dataset.isEmpty()) {
            return Nd4j.create(DataType.FLOAT, shape);
        }
        Object flat = dataset.isScalar() ? scalarAsArray(dataset.getData()) : dataset.getDataFlat();
        INDArray array;
        if (flat instanceof float[] f) {
            array = Nd4j.create(f, shape, 'c');
        } else if (flat instanceof double[] d) {
            array = Nd4j.create(d, shape, 'c').castTo(DataType.FLOAT);
        } else if (flat instanceof int[] ints) {
            array = Nd4j.createFromArray(ints).castTo(DataType.FLOAT).reshape('c', shape);
        } else if (flat instanceof long[] longs) {
            array = Nd4j.createFromArray(longs).castTo(DataType.FLOAT).reshape('c', shape);
        } else if (flat instanceof short[] shorts) {
            float[] f = new float[shorts.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = shorts[i];
            }
            array = Nd4j.create(f, shape, 'c');
        } else if (flat instanceof byte[] bytes) {
            float[] f = new float[bytes.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = bytes[i];
            }
            array = Nd4j.create(f, shape, 'c');
        } else {
            throw new ShapeException(where + " holds " + dataset.getJavaType().getSimpleName() + " values ("
                    + dataset.getDataType().getClass().getSimpleName() + "), not numbers. Fix: weights are float32"
                    + " arrays as Keras saves them.");
        }
        return array;
    }

    private static Object scalarAsArray(Object scalar) {
        if (scalar instanceof Float f) {
            return new float[] {f};
        }
        if (scalar instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        return scalar;
    }
}
