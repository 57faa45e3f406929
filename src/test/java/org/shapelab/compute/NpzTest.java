package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/** Loading Keras weights from .npz files, written here as NumPy writes them (a zip of .npy files). */
class NpzTest {

    @TempDir
    Path dir;

    static Sequential model() {
        return Sequential.input(3).dense(4, "relu").dense(2);
    }

    static List<INDArray> someWeights() {
        return List.of(Nd4j.linspace(-1, 1, 12, DataType.FLOAT).reshape(3, 4), Nd4j.linspace(0, 0.3, 4, DataType.FLOAT),
                Nd4j.linspace(-2, 2, 8, DataType.FLOAT).reshape(4, 2), Nd4j.create(new float[] {0.5f, -0.5f}));
    }

    /** np.savez stores entries uncompressed; np.savez_compressed deflates them. Both are tested. */
    static Path npz(Path file, Map<String, byte[]> entries, boolean compressed) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                if (!compressed) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** A version 1.0 .npy of float32 values in column-major (Fortran) order, as NumPy writes np.asfortranarray. */
    static byte[] fortranNpy(INDArray matrix) {
        String dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (" + matrix.size(0) + ", " + matrix.size(1)
                + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buffer = ByteBuffer.allocate(10 + header.length() + 4 * (int) matrix.length())
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int col = 0; col < matrix.size(1); col++) {
            for (int row = 0; row < matrix.size(0); row++) {
                buffer.putFloat(matrix.getFloat(row, col));
            }
        }
        return buffer.array();
    }

    @Test
    void positionalEntriesInGetWeightsOrder() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<INDArray> weights = someWeights();
        // Written out of order and as float64, which must not matter.
        for (int i = weights.size() - 1; i >= 0; i--) {
            entries.put("arr_" + i, Nd4j.toNpyByteArray(weights.get(i).castTo(DataType.DOUBLE)));
        }
        ModelRuntime runtime = ModelRuntime.of(model());
        runtime.loadWeightsNpz(npz(dir.resolve("w.npz"), entries, false));
        assertEquals(weights, runtime.getWeights());
    }

    @Test
    void namedEntriesCompressedWithKerasPathsAndFortranOrder() throws IOException {
        List<INDArray> weights = someWeights();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("dense_1/bias:0", Nd4j.toNpyByteArray(weights.get(3)));
        entries.put("sequential/dense/kernel", fortranNpy(weights.get(0)));
        entries.put("dense/bias", Nd4j.toNpyByteArray(weights.get(1)));
        entries.put("dense_1/kernel", Nd4j.toNpyByteArray(weights.get(2)));
        ModelRuntime runtime = ModelRuntime.of(model());
        runtime.loadWeightsNpz(npz(dir.resolve("named.npz"), entries, true));
        assertEquals(weights, runtime.getWeights());
    }

    @Test
    void missingAndUnknownEntriesAreListed() throws IOException {
        List<INDArray> weights = someWeights();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("dense/kernel", Nd4j.toNpyByteArray(weights.get(0)));
        entries.put("dense/bias", Nd4j.toNpyByteArray(weights.get(1)));
        entries.put("output/kernel", Nd4j.toNpyByteArray(weights.get(2)));
        ShapeException e = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model()).loadWeightsNpz(npz(dir.resolve("partial.npz"), entries, false)));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("Missing: dense_1/kernel, dense_1/bias"), e.getMessage());
        assertTrue(e.getMessage().contains("Not weights of this model: output/kernel"), e.getMessage());
    }

    @Test
    void wrongShapeInTheFileNamesLayerAndWeight() throws IOException {
        List<INDArray> weights = someWeights();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("arr_0", Nd4j.toNpyByteArray(weights.get(0).transpose().dup()));
        for (int i = 1; i < 4; i++) {
            entries.put("arr_" + i, Nd4j.toNpyByteArray(weights.get(i)));
        }
        ShapeException e = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model()).loadWeightsNpz(npz(dir.resolve("t.npz"), entries, false)));
        assertTrue(e.getMessage().contains("\"dense\" (Dense), weight \"kernel\""), e.getMessage());
        assertTrue(e.getMessage().contains("loadWeightsNpz(t.npz)"), e.getMessage());
        assertTrue(e.getMessage().contains("expected the Keras shape (3, 4), received (4, 3)"), e.getMessage());
    }

    @Test
    void notAnNpzFile() throws IOException {
        Path text = Files.writeString(dir.resolve("weights.npz"), "not a zip");
        ShapeException e = assertThrows(ShapeException.class, () -> ModelRuntime.of(model()).loadWeightsNpz(text));
        assertTrue(e.getMessage().contains("is not a .npz file"), e.getMessage());
        ShapeException missing = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model()).loadWeightsNpz(dir.resolve("nowhere.npz")));
        assertTrue(missing.getMessage().contains("there is no file"), missing.getMessage());
    }
}
