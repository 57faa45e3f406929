package org.shapelab.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.shape.ShapeException;

/**
 * Reads NumPy {@code .npz} files (a zip of {@code .npy} files, plain or compressed) into float32 arrays.
 * {@code Nd4j.createFromNpzFile} cannot read files written by NumPy 2 and ND4J's {@code .npy} reader ignores
 * {@code fortran_order}, so this class unzips the entries itself, lets ND4J parse each {@code .npy} and
 * restores Fortran-ordered arrays.
 */
final class Npz {

    private Npz() {
    }

    /** The arrays by name (entry name without {@code .npy}), in the file's order. */
    static Map<String, INDArray> read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ShapeException("loadWeightsNpz: there is no file " + path.toAbsolutePath() + ". Fix: check the"
                    + " path; in Python write it with np.savez(\"weights.npz\", *model.get_weights()).");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                byte[] bytes;
                try (var in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                arrays.put(name, npy(bytes, path, name));
            }
        } catch (ZipException e) {
            throw new ShapeException("loadWeightsNpz: " + path + " is not a .npz file (a zip of .npy arrays): "
                    + e.getMessage() + ". Fix: write it with np.savez or np.savez_compressed.");
        } catch (IOException e) {
            throw new ShapeException("loadWeightsNpz: could not read " + path + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ".");
        }
        return arrays;
    }

    private static INDArray npy(byte[] bytes, Path path, String name) {
        String header = header(bytes);
        if (header == null) {
            throw new ShapeException("loadWeightsNpz: entry '" + name + "' of " + path + " is not a .npy array.");
        }
        String descr = field(header, "descr");
        if (descr.startsWith(">") || !descr.matches("[<|=][fiub]\\d+")) {
            throw new ShapeException("loadWeightsNpz: entry '" + name + "' of " + path + " holds dtype " + descr
                    + "; weights must be little-endian numbers (float32 as Keras saves them).");
        }
        INDArray array = Nd4j.createNpyFromByteArray(bytes);
        if (field(header, "fortran_order").equals("True") && array.rank() > 1) {
            // The bytes are the array in column-major order, i.e. its transpose in row-major order.
            long[] reversed = array.shape().clone();
            int[] back = new int[reversed.length];
            for (int i = 0; i < reversed.length; i++) {
                reversed[i] = array.size(reversed.length - 1 - i);
                back[i] = reversed.length - 1 - i;
            }
            array = array.reshape('c', reversed).permute(back);
        }
        return array.castTo(DataType.FLOAT).dup('c');
    }

    /** The header dictionary text of a .npy file (format versions 1 to 3), or null. */
    private static String header(byte[] bytes) {
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U') {
            return null;
        }
        int major = bytes[6];
        int length;
        int start;
        if (major == 1) {
            length = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            start = 10;
        } else {
            length = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8 | (bytes[10] & 0xFF) << 16 | (bytes[11] & 0xFF) << 24;
            start = 12;
        }
        return start + length <= bytes.length ? new String(bytes, start, length, StandardCharsets.ISO_8859_1) : null;
    }

    /** The value of {@code 'key': value} in a header, without quotes. */
    private static String field(String header, String key) {
        int at = header.indexOf("'" + key + "'");
        if (at < 0) {
            return "";
        }
        int colon = header.indexOf(':', at);
        int end = header.indexOf(',', colon);
        return header.substring(colon + 1, end < 0 ? header.length() : end).trim().replace("'", "");
    }
}
