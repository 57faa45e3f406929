package org.shapelab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Model;

/** Inputs and the predictions a generator under tools/model-files/ saved beside a model file ({@code NAME.json}). */
record Reference(List<INDArray> x, List<INDArray> y) {

    static final Path FILES = Path.of("src/test/resources/model-files");

    static Reference of(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        return new Reference(arrays(root.get("x")), arrays(root.get("y")));
    }

    /** The model's predictions for x equal y within 1e-5 on every value. */
    void check(Model model) {
        List<INDArray> out = model.predict(x.toArray(INDArray[]::new));
        assertEquals(y.size(), out.size(), "outputs");
        for (int i = 0; i < y.size(); i++) {
            assertArrayEquals(y.get(i).shape(), out.get(i).shape(), "shape of output " + i);
            double diff = Nd4j.math().abs(out.get(i).castTo(DataType.DOUBLE).sub(y.get(i))).maxNumber().doubleValue();
            assertTrue(diff <= 1e-5, "output " + i + " differs from the reference by " + diff);
        }
    }

    private static List<INDArray> arrays(JsonNode list) {
        List<INDArray> arrays = new ArrayList<>();
        for (JsonNode array : list) {
            List<Long> shape = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            flatten(array, 0, shape, values);
            arrays.add(Nd4j.create(values.stream().mapToDouble(Double::doubleValue).toArray(),
                    shape.stream().mapToLong(Long::longValue).toArray(), 'c'));
        }
        return arrays;
    }

    private static void flatten(JsonNode node, int depth, List<Long> shape, List<Double> values) {
        if (node.isArray()) {
            if (shape.size() == depth) {
                shape.add((long) node.size());
            }
            node.forEach(child -> flatten(child, depth + 1, shape, values));
        } else {
            values.add(node.asDouble());
        }
    }
}
