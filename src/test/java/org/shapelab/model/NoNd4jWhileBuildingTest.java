package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Building, summarizing, tabulating and serializing models must never load ND4J (its native start-up
 * takes seconds). Checked in a fresh JVM that logs every class it loads.
 */
class NoNd4jWhileBuildingTest {

    /** What a notebook does before it runs any data through a model. */
    public static void main(String[] args) {
        Sequential cnn = Sequential.input(28, 28, 1).conv2d(32, 3, "relu").maxPooling2d(2).flatten().dense(10);
        Sequential rnn = Sequential.input(100).embedding(1000, 16).lstm(32, true).gru(8).dense(1, "sigmoid");
        for (Sequential model : List.of(cnn, rnn, Sequential.fromKerasJson(cnn.toKerasJson()))) {
            System.out.println(model.summary());
            System.out.println(model.shapeTable().print());
            System.out.println(model.toHtml().length());
        }
        org.shapelab.layers.Input numbers = org.shapelab.layers.Input.shape(10);
        org.shapelab.layers.Input steps = org.shapelab.layers.Input.shape(org.shapelab.shape.Shape.NONE, 8);
        org.shapelab.layers.Tensor joined = new org.shapelab.layers.Concatenate().apply(
                new org.shapelab.layers.Dense(4).apply(numbers),
                new org.shapelab.layers.Bidirectional(new org.shapelab.layers.LSTM(2)).apply(steps));
        Functional graph = Model.of(List.of(numbers, steps), List.of(new org.shapelab.layers.Dense(1).apply(joined)));
        System.out.println(graph.summary());
        System.out.println(graph.shapeTable().print());
        System.out.println(Model.fromKerasJson(graph.toKerasJson()).summary());
        System.out.println(org.shapelab.display.MimeBundle.of(graph).data().keySet());
        try {
            Sequential.input(28, 28).conv2d(8, 3);
        } catch (RuntimeException expected) {
            System.out.println(expected.getMessage());
        }
        System.out.println("BUILT-WITHOUT-ND4J");
    }

    @Test
    void freshJvmLoadsNoNd4jOrNativeClasses() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), NoNd4jWhileBuildingTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("BUILT-WITHOUT-ND4J"), output);
        assertTrue(output.contains("org.shapelab.model.Summary"), "class loading was not logged");
        List<String> offending = output.lines()
                .filter(line -> line.contains(" org.nd4j.") || line.contains(" org.bytedeco.")
                        || line.contains(" org.deeplearning4j."))
                .toList();
        assertEquals(List.of(), offending);
    }
}
