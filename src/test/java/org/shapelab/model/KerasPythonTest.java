package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.GRU;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Tensor;

/**
 * toKerasPython(): the Keras 3 code for a model. Checked here without Python: the code for a few models as text, and
 * for every Keras 3 fixture model the same program (up to layout, quotes, keyword order and variable names) as the
 * fixture's source, which real Keras 3 ran to print the fixture's summary. Writes every generated program, with
 * ShapeLab's summary beside it, to target/keras-python-export/ for tools/keras-reference/check-keras-python.py, which
 * runs them in Keras 3 (by hand; CI has no Keras).
 */
class KerasPythonTest {

    static final Path EXPORT_DIR = Path.of("target", "keras-python-export");

    @Test
    void sequentialCnn() {
        Sequential model = Sequential.input(28, 28, 1).conv2d(32, 3, "relu").maxPooling2d(2).flatten()
                .dense(10, "softmax");
        assertEquals("""
                import keras

                model = keras.Sequential([
                    keras.Input(shape=(28, 28, 1)),
                    keras.layers.Conv2D(32, 3, activation="relu"),
                    keras.layers.MaxPooling2D(2),
                    keras.layers.Flatten(),
                    keras.layers.Dense(10, activation="softmax"),
                ])
                """, model.toKerasPython());
    }

    @Test
    void onlyOptionsThatDifferFromKerasDefaults() {
        Sequential model = new Sequential("tagger").add(new Conv2D(8, 3, 5).strides(2, 1).padding("same")
                        .useBias(false).inputShape(12, 12, 3))
                .add(new Dropout(0.25)).flatten()
                .add(new Dense(4).name("scores"))
                .add(new Dense(2, "linear"));
        assertEquals("""
                import keras

                model = keras.Sequential([
                    keras.Input(shape=(12, 12, 3)),
                    keras.layers.Conv2D(8, (3, 5), strides=(2, 1), padding="same", use_bias=False),
                    keras.layers.Dropout(0.25),
                    keras.layers.Flatten(),
                    keras.layers.Dense(4, name="scores"),
                    keras.layers.Dense(2),
                ], name="tagger")
                """, model.toKerasPython());
    }

    @Test
    void recurrentOptionsAndWrappers() {
        Sequential model = Sequential.input(Input.shape(10, 3).batchSize(8))
                .add(new Bidirectional(new LSTM(4, true).stateful(true), Bidirectional.MergeMode.AVE, new GRU(4, true).goBackwards(true)
                        .stateful(true)))
                .add(new GRU(2).resetAfter(false).zeroOutputForMask(true));
        assertEquals("""
                import keras

                model = keras.Sequential([
                    keras.Input(shape=(10, 3), batch_size=8),
                    keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True, stateful=True), \
                merge_mode="ave", backward_layer=keras.layers.GRU(4, return_sequences=True, go_backwards=True, \
                stateful=True)),
                    keras.layers.GRU(2, reset_after=False, zero_output_for_mask=True),
                ])
                """, model.toKerasPython());
    }

    @Test
    void functionalWithSharedLayerAndStates() {
        Input a = Input.shape(6);
        Input steps = Input.shape(org.shapelab.shape.Shape.NONE, 3).name("steps");
        Layer shared = new Dense(6, "relu");
        Tensor first = shared.apply(a);
        Tensor twice = shared.apply(first);
        List<Tensor> encoded = new LSTM(6).returnState(true).applyAll(steps);
        Tensor decoded = new LSTM(6).applyWithInitialState(steps, encoded.get(1), encoded.get(2)).get(0);
        Tensor sum = new org.shapelab.layers.Add().apply(twice, decoded);
        Functional model = Model.of("joint", List.of(a, steps), List.of(sum, encoded.get(1)));
        assertEquals("""
                import keras

                input_layer = keras.Input(shape=(6,))
                steps = keras.Input(shape=(None, 3), name="steps")
                dense = keras.layers.Dense(6, activation="relu")
                dense_out = dense(input_layer)
                dense_out_1 = dense(dense_out)
                lstm, lstm_h, lstm_c = keras.layers.LSTM(6, return_state=True)(steps)
                lstm_1 = keras.layers.LSTM(6)(steps, initial_state=[lstm_h, lstm_c])
                add = keras.layers.Add()([dense_out_1, lstm_1])
                model = keras.Model(inputs=[input_layer, steps], outputs=[add, lstm_h], name="joint")
                """, model.toKerasPython());
    }

    /** Keras 3 names a layer when it is made; toKerasPython writes name= only where that name would differ. */
    @Test
    void namesWrittenWhereKerasWouldChooseAnother() {
        Input x = Input.shape(4);
        Tensor late = new Dense(3).name("dense").apply(new Dense(3).name("dense_1").apply(x));
        Functional model = Model.of(x, late);
        String code = model.toKerasPython();
        assertTrue(code.contains("dense_1 = keras.layers.Dense(3, name=\"dense_1\")(input_layer)\n"), code);
        assertTrue(code.contains("dense = keras.layers.Dense(3)(dense_1)\n"), code);
        assertTrue(code.contains("model = keras.Model(inputs=input_layer, outputs=dense)\n"), code);
    }

    @Test
    void pythonLiterals() {
        assertEquals("0.5", KerasPython.pyFloat(0.5));
        assertEquals("2.0", KerasPython.pyFloat(2));
        assertEquals("0.001", KerasPython.pyFloat(0.001));
        assertEquals("0.0001", KerasPython.pyFloat(1e-4));
        assertEquals("1e-05", KerasPython.pyFloat(1e-5));
        assertEquals("1e+16", KerasPython.pyFloat(1e16));
        assertEquals("-1.5", KerasPython.pyFloat(-1.5));
        assertEquals("0.1", KerasPython.pyFloat(0.1));
        assertEquals("(10,)", KerasPython.tuple(10));
        assertEquals("(None, 8)", KerasPython.tuple(-1, 8));
        assertEquals("\"say \\\"hi\\\"\"", KerasPython.string("say \"hi\""));
    }

    /** The CI-safe check: the program ShapeLab writes builds what the fixture's Keras 3 source builds. */
    @TestFactory
    Stream<DynamicTest> sameProgramAsEveryFixture() throws IOException {
        Path dir = EXPORT_DIR.resolve("fixtures");
        Files.createDirectories(dir);
        return Keras3Fixtures.models().entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Model model = entry.getValue().get();
            String generated = model.toKerasPython();
            String fixture = Keras3Fixtures.resource(entry.getKey() + ".py");
            Files.writeString(dir.resolve(entry.getKey() + ".py"), generated);
            Files.writeString(dir.resolve(entry.getKey() + ".summary.txt"), model.summary());
            assertEquals(PythonStructure.of(fixture), PythonStructure.of(generated), entry.getKey() + ":\n" + generated);
            // written in the same layout as toKerasPython, so the text is the same too
            assertEquals(fixture, generated, entry.getKey());
        }));
    }

    @Test
    void structureIgnoresLayoutButNotOptions() {
        String canonical = "import keras\n\nx = keras.Input(shape=(3,))\ny = keras.layers.Dense(2, activation=\"relu\","
                + " use_bias=False)(x)\nmodel = keras.Model(inputs=x, outputs=y)\n";
        String other = "import keras  # Keras 3\n\ninp = keras.Input(shape=(3, ))\nout = keras.layers.Dense(\n    2,"
                + " use_bias=False, activation='relu',\n)(inp)\nmodel = keras.Model(inputs=inp, outputs=out)\n";
        assertEquals(PythonStructure.of(canonical), PythonStructure.of(other));
        assertNotEquals(PythonStructure.of(canonical), PythonStructure.of(canonical.replace("relu", "tanh")));
        assertNotEquals(PythonStructure.of(canonical), PythonStructure.of(canonical.replace("outputs=y", "outputs=x")));
    }

    /**
     * Every TF.js reference model (models.json and the fuzz corpus, Sequential) and the functional fixtures' kinds:
     * a program that parses, and ShapeLab's summary beside it, for check-keras-python.py to run in Keras 3.
     */
    @Test
    void writesTheReferenceCorpusForKeras3() throws IOException {
        Path dir = EXPORT_DIR.resolve("corpus");
        Files.createDirectories(dir);
        List<JsonNode> cases = new ArrayList<>(KerasReferenceShapesTest.cases().toList());
        ObjectMapper json = new ObjectMapper();
        try (var in = KerasPythonTest.class.getResourceAsStream("/keras-reference/fuzz/corpus.jsonl")) {
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    cases.add(json.readTree(lines[i]));
                }
            }
        }
        int written = 0;
        for (JsonNode c : cases) {
            Model model;
            try {
                model = Model.fromKerasJson(c.get("model").toString());
            } catch (org.shapelab.shape.ShapeException notBuildable) {
                continue; // a case that expects an error
            }
            String code = model.toKerasPython();
            PythonStructure.of(code);
            Files.writeString(dir.resolve(c.get("id").asText() + ".py"), code);
            Files.writeString(dir.resolve(c.get("id").asText() + ".summary.txt"), model.summary());
            written++;
        }
        assertTrue(written > 500, "only " + written + " reference models");
        java.util.Random random = new java.util.Random(20260512);
        int graphs = 0;
        for (int i = 0; graphs < 150 && i < 1000; i++) {
            Functional model = randomGraph(random);
            if (model == null) {
                continue;
            }
            String code = model.toKerasPython();
            PythonStructure.of(code);
            String id = String.format("graph_%03d", graphs++);
            Files.writeString(dir.resolve(id + ".py"), code);
            Files.writeString(dir.resolve(id + ".summary.txt"), model.summary());
        }
        assertEquals(150, graphs);
    }

    /**
     * A seeded random functional model: several inputs, Dense and recurrent layers (some with return_state), merges,
     * shared layers, RepeatVector and Flatten, one to three outputs, now and then an input no output uses. Null when
     * the draw does not make a valid model.
     */
    static Functional randomGraph(java.util.Random random) {
        List<Tensor> pool = new ArrayList<>();
        List<Input> inputs = new ArrayList<>();
        int inputCount = 1 + random.nextInt(3);
        for (int i = 0; i < inputCount; i++) {
            Input input = random.nextBoolean() ? Input.shape(2 + random.nextInt(6))
                    : Input.shape(random.nextBoolean() ? org.shapelab.shape.Shape.NONE : 3 + random.nextInt(4),
                    2 + random.nextInt(5));
            inputs.add(input);
            pool.add(input);
        }
        try {
            int steps = 2 + random.nextInt(7);
            for (int s = 0; s < steps; s++) {
                Tensor x = pool.get(random.nextInt(pool.size()));
                int rank = x.shape().rank();
                switch (random.nextInt(7)) {
                    case 0, 1 -> pool.add(new Dense(1 + random.nextInt(6)).apply(x));
                    case 2 -> {
                        if (rank == 3) {
                            Layer rnn = switch (random.nextInt(3)) {
                                case 0 -> new LSTM(2 + random.nextInt(4), random.nextBoolean())
                                        .returnState(random.nextBoolean());
                                case 1 -> new GRU(2 + random.nextInt(4), random.nextBoolean())
                                        .returnState(random.nextBoolean());
                                default -> new org.shapelab.layers.SimpleRNN(2 + random.nextInt(4),
                                        random.nextBoolean());
                            };
                            pool.addAll(rnn.applyAll(x));
                        } else {
                            pool.add(new org.shapelab.layers.RepeatVector(2 + random.nextInt(3)).apply(x));
                        }
                    }
                    case 3 -> {
                        List<Tensor> same = pool.stream().filter(t -> t.shape().rank() == rank
                                && (rank == 2 || t.shape().get(1) == x.shape().get(1))).toList();
                        if (same.size() >= 2) {
                            Tensor a = same.get(random.nextInt(same.size()));
                            Tensor b = same.get(random.nextInt(same.size()));
                            if (a != b) {
                                pool.add(new org.shapelab.layers.Concatenate().apply(a, b));
                            }
                        }
                    }
                    case 4 -> {
                        List<Tensor> same = pool.stream().filter(t -> t.shape().equals(x.shape()) && t != x).toList();
                        if (!same.isEmpty()) {
                            Layer merge = random.nextBoolean() ? new org.shapelab.layers.Add()
                                    : new org.shapelab.layers.Multiply();
                            pool.add(merge.apply(x, same.get(random.nextInt(same.size()))));
                        }
                    }
                    case 5 -> {
                        List<Tensor> same = pool.stream().filter(t -> t.shape().get(-1) == x.shape().get(-1)
                                && t != x).toList();
                        if (!same.isEmpty()) {
                            Layer shared = new Dense(1 + random.nextInt(5));
                            pool.add(shared.apply(x));
                            pool.add(shared.apply(same.get(random.nextInt(same.size()))));
                        }
                    }
                    default -> {
                        if (rank == 3 && x.shape().get(1) != org.shapelab.shape.Shape.NONE) {
                            pool.add(new org.shapelab.layers.Flatten().apply(x));
                        } else {
                            pool.add(new Dense(2).name("named_" + Math.abs(random.nextInt(1000))).apply(x));
                        }
                    }
                }
            }
            List<Tensor> produced = pool.stream().filter(t -> !(t instanceof Input)).toList();
            if (produced.isEmpty()) {
                return null;
            }
            List<Tensor> outputs = new ArrayList<>();
            outputs.add(produced.get(produced.size() - 1));
            for (int o = random.nextInt(3); o > 0; o--) {
                Tensor extra = produced.get(random.nextInt(produced.size()));
                if (!outputs.contains(extra)) {
                    outputs.add(extra);
                }
            }
            List<Input> used = new ArrayList<>();
            for (Input input : inputs) {
                if (reaches(outputs, input) || random.nextInt(8) == 0) {
                    used.add(input);
                }
            }
            Functional model = Model.of(used, outputs);
            for (Layer layer : model.layers()) {
                if (!model.nodes().containsAll(layer.nodes())) {
                    // a call outside the model: Keras numbers the calls with it, the program leaves it out
                    return null;
                }
            }
            return model;
        } catch (org.shapelab.shape.ShapeException invalid) {
            return null;
        }
    }

    private static boolean reaches(List<Tensor> outputs, Input input) {
        java.util.ArrayDeque<Tensor> todo = new java.util.ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (t == input) {
                return true;
            }
            if (t.node() != null) {
                todo.addAll(t.node().inputs());
            }
        }
        return false;
    }

    @Test
    void everyFixtureModelHasCode() {
        for (Map.Entry<String, Supplier<Model>> entry : Keras3Fixtures.models().entrySet()) {
            String code = entry.getValue().get().toKerasPython();
            assertTrue(code.startsWith("import keras\n\n"), code);
            assertTrue(code.endsWith(")\n"), code);
        }
    }
}
