package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.shapelab.layers.Add;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dot;
import org.shapelab.layers.GRU;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Subtract;
import org.shapelab.layers.Tensor;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * The functional API's graph, names, summary, JSON and errors, without computing (shape-only code). Shapes and
 * numbers of the same kinds of model are checked against TensorFlow.js in reference.GraphReferenceTest.
 */
class FunctionalModelTest {

    /** Two inputs, two branches, a merge, two outputs: the first branching model of a course. */
    private static Functional twoBranches() {
        Input numbers = Input.shape(10);
        Input steps = Input.shape(Shape.NONE, 8);
        Tensor a = new Dense(16, "relu").apply(numbers);
        Tensor b = new LSTM(16).apply(steps);
        Tensor joined = new Concatenate().apply(a, b);
        Tensor sum = new Add().apply(a, b);
        return Model.of(List.of(numbers, steps), List.of(new Dense(1).apply(joined), sum));
    }

    @Test
    void layersAreOrderedAndNamedAsKeras() {
        Functional model = twoBranches();
        assertEquals(List.of("dense", "lstm", "concatenate", "dense_1", "add"),
                model.layers().stream().map(Layer::name).toList());
        assertEquals("input_layer", model.inputName(model.inputs().get(0)));
        assertEquals("input_layer_1", model.inputName(model.inputs().get(1)));
        assertEquals("[(None, 1), (None, 16)]", model.outputShapes().toString());
        assertEquals(176 + 1600 + 33, model.countParams());
    }

    @Test
    void summaryHasConnectedTo() {
        String keras3 = twoBranches().summary();
        assertTrue(keras3.contains("┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃\n"),
                keras3);
        assertTrue(keras3.contains("│ input_layer_1       │ (None, None, 8)   │          0 │ -                 │\n"
                + "│ (InputLayer)        │                   │            │                   │\n"), keras3);
        assertTrue(keras3.contains("│ concatenate         │ (None, 32)        │          0 │ dense[0][0],      │\n"
                + "│ (Concatenate)       │                   │            │ lstm[0][0]        │\n"), keras3);
        assertTrue(keras3.contains(" Total params: 1,809 (7.07 KB)\n"), keras3);
        for (String line : keras3.split("\n")) {
            assertTrue(line.length() <= 76, line);
        }
        String summary = twoBranches().summary(SummaryStyle.TF_KERAS_2).replaceAll(" +\n", "\n");
        assertTrue(summary.contains(" Layer (type)                   Output Shape         Param #     Connected to"),
                summary);
        assertTrue(summary.contains(" input_layer_1 (InputLayer)     [(None, None, 8)]    0           []"), summary);
        assertTrue(summary.contains(" concatenate (Concatenate)      (None, 32)           0           ['dense[0][0]',\n"
                + "                                                                  'lstm[0][0]']"), summary);
        assertTrue(summary.contains("Total params: 1,809"), summary);
        for (String line : summary.split("\n")) {
            assertTrue(line.length() <= 98, line);
        }
    }

    @Test
    void returnStateGivesOutputAndStates() {
        Input x = Input.shape(5, 3);
        List<Tensor> encoded = new LSTM(4).returnState(true).applyAll(x);
        assertEquals(3, encoded.size());
        assertEquals(List.of("(None, 4)", "(None, 4)", "(None, 4)"),
                encoded.stream().map(t -> t.shape().toString()).toList());
        List<Tensor> decoded = new LSTM(4, true).applyWithInitialState(x, encoded.get(1), encoded.get(2));
        Functional model = Model.of(List.of(x), List.of(decoded.get(0)));
        assertEquals("(None, 5, 4)", model.outputShapes().get(0).toString());
        String tfKeras2 = model.summary(SummaryStyle.TF_KERAS_2);
        assertTrue(tfKeras2.contains("['input_layer[0][0]',"), tfKeras2);
        assertTrue(tfKeras2.contains("'lstm[0][1]',"), tfKeras2);
        assertTrue(tfKeras2.contains("'lstm[0][2]']"), tfKeras2);
        assertTrue(tfKeras2.contains("[(None, 4),"), tfKeras2);
        String keras3 = model.summary();
        assertTrue(keras3.contains("│ lstm (LSTM)         │ [(None, 4),       │"), keras3);
        assertTrue(keras3.contains("│ input_layer[0][0… │"), keras3);
        assertTrue(keras3.contains("│ lstm[0][1],       │"), keras3);
        assertTrue(keras3.contains("│ lstm[0][2]        │"), keras3);

        ShapeException one = assertThrows(ShapeException.class, () -> new LSTM(4).returnState(true).apply(x));
        assertTrue(one.getMessage().contains("applyAll"), one.getMessage());
        ShapeException missingC = assertThrows(ShapeException.class,
                () -> new LSTM(4).applyWithInitialState(x, encoded.get(1)));
        assertTrue(missingC.getMessage().contains("has 2 states [h, c] but was given 1"), missingC.getMessage());
        ShapeException wrongUnits = assertThrows(ShapeException.class,
                () -> new GRU(6).applyWithInitialState(x, encoded.get(1)));
        assertTrue(wrongUnits.getMessage().contains("(None, 6)"), wrongUnits.getMessage());
    }

    /** An error about an initial state says where that state comes from, not where every input of the call does. */
    @Test
    void initialStateErrorsNameTheStateTensorsOrigin() {
        Input x = Input.shape(6, 2).name("next_steps");
        List<Tensor> encoded = new LSTM(16).returnState(true).applyAll(Input.shape(12, 3));
        ShapeException wrongUnits = assertThrows(ShapeException.class,
                () -> new LSTM(8).applyWithInitialState(x, encoded.get(1), encoded.get(2)));
        assertTrue(wrongUnits.getMessage().contains(
                "received: (None, 16)  <- summary shape of output 1 of layer LSTM\n"), wrongUnits.getMessage());
        assertTrue(!wrongUnits.getMessage().contains("next_steps"), wrongUnits.getMessage());
        ShapeException missingC = assertThrows(ShapeException.class,
                () -> new LSTM(16).applyWithInitialState(x, encoded.get(1)));
        assertTrue(missingC.getMessage().contains(
                "received: (None, 16)  <- summary shape of output 1 of layer LSTM\n"), missingC.getMessage());
        ShapeException sequence = assertThrows(ShapeException.class,
                () -> new LSTM(16).applyWithInitialState(Input.shape(6), encoded.get(1), encoded.get(2)));
        assertTrue(sequence.getMessage().contains("received: (None, 6)  <- summary shape of the model input, declared as"
                + " (6,)\n"), sequence.getMessage());
    }

    @Test
    void sequentialRefusesMultiOutputLayers() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Sequential.input(5, 3).add(new GRU(4).returnState(true)));
        assertTrue(e.getMessage().contains("All layers in a Sequential model should have a single output tensor"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Model.of"), e.getMessage());
        ShapeException both = assertThrows(ShapeException.class,
                () -> Sequential.input(5, 3).add(new Bidirectional(new GRU(4), Bidirectional.MergeMode.NONE)));
        assertTrue(both.getMessage().contains("returns 2 tensors [(None, 4), (None, 4)]"), both.getMessage());
    }

    @Test
    void bidirectionalShapesAndParameters() {
        Sequential concat = Sequential.input(Shape.NONE, 3).add(new Bidirectional(new LSTM(5, true)));
        assertEquals("(None, None, 10)", concat.outputShape().toString());
        assertEquals(2 * 4 * (3 * 5 + 5 * 5 + 5), concat.countParams());
        Sequential sum = Sequential.input(7, 3).add(new Bidirectional(new GRU(5), "sum"));
        assertEquals("(None, 5)", sum.outputShape().toString());
        ShapeException notRnn = assertThrows(ShapeException.class, () -> new Bidirectional(new Dense(3)));
        assertTrue(notRnn.getMessage().contains("recurrent layer"), notRnn.getMessage());
        ShapeException badMode = assertThrows(ShapeException.class, () -> new Bidirectional(new GRU(3), "max"));
        assertTrue(badMode.getMessage().contains("\"concat\", \"sum\", \"mul\", \"ave\" or None"), badMode.getMessage());
    }

    @Test
    void sharedLayerHasTwoNodesAndOneSetOfWeights() {
        Input left = Input.shape(6);
        Input right = Input.shape(6);
        Dense shared = new Dense(4);
        Tensor a = shared.apply(left);
        Tensor b = shared.apply(right);
        Functional model = Model.of(List.of(left, right), List.of(new Subtract().apply(a, b)));
        assertEquals(2, shared.nodes().size());
        assertEquals(28, model.countParams());
        String keras3 = model.summary();
        assertTrue(keras3.contains("│ dense (Dense)       │ (None, 4)         │         28 │ input_layer[0][0… │\n"
                + "│                     │                   │            │ input_layer_1[0]… │\n"), keras3);
        assertTrue(keras3.contains("│ dense[0][0],      │\n"), keras3);
        assertTrue(keras3.contains("│ dense[1][0]       │\n"), keras3);
        String summary = model.summary(SummaryStyle.TF_KERAS_2).replaceAll(" +\n", "\n");
        assertTrue(summary.contains("['input_layer[0][0]',\n"), summary);
        assertTrue(summary.contains("'input_layer_1[0][0]']"), summary);
        assertTrue(summary.contains("'dense[0][0]',"), summary);
        assertTrue(summary.contains("'dense[1][0]']"), summary);
        ShapeException wrongShape = assertThrows(ShapeException.class, () -> shared.apply(Input.shape(7)));
        assertTrue(wrongShape.getMessage().contains("this layer is shared: it was built on (None, 6)"),
                wrongShape.getMessage());
    }

    @Test
    void mergeErrorsNameEveryInputShapeAndAFix() {
        ShapeException concat = assertThrows(ShapeException.class,
                () -> new Concatenate().apply(Input.shape(4, 3), Input.shape(5, 3)));
        assertTrue(concat.getMessage().startsWith("Layer Concatenate:"), concat.getMessage());
        assertTrue(concat.getMessage().contains("[(None, 4, 3), (None, 5, 3)]"), concat.getMessage());
        assertTrue(concat.getMessage().contains("axis 1 has sizes 4 and 5"), concat.getMessage());
        assertTrue(concat.getMessage().contains("Concatenate(1)"), concat.getMessage());

        ShapeException add = assertThrows(ShapeException.class, () -> new Add().apply(Input.shape(3), Input.shape(4)));
        assertTrue(add.getMessage().contains("Inputs have incompatible shapes. Received shapes (3,) and (4,)"),
                add.getMessage());
        assertTrue(add.getMessage().contains("[(None, 3), (None, 4)]"), add.getMessage());

        ShapeException one = assertThrows(ShapeException.class, () -> new Add().apply(Input.shape(3)));
        assertTrue(one.getMessage().contains("at least 2"), one.getMessage());
        ShapeException three = assertThrows(ShapeException.class,
                () -> new Subtract().apply(Input.shape(3), Input.shape(3), Input.shape(3)));
        assertTrue(three.getMessage().contains("exactly 2"), three.getMessage());
        ShapeException dot = assertThrows(ShapeException.class,
                () -> new Dot(1).apply(Input.shape(3), Input.shape(4)));
        assertTrue(dot.getMessage().contains("axis values 3 (at axis 1) != 4 (at axis 1)"), dot.getMessage());
        ShapeException dense = assertThrows(ShapeException.class,
                () -> new Dense(2).apply(Input.shape(3), Input.shape(3)));
        assertTrue(dense.getMessage().contains("new Concatenate().apply(a, b)"), dense.getMessage());
    }

    @Test
    void broadcastingMergesFollowKeras() {
        assertEquals("(None, 4, 3)", new Add().apply(Input.shape(4, 3), Input.shape(1, 3)).shape().toString());
        assertEquals("(None, 4, 3)", new Add().apply(Input.shape(4, 3), Input.shape(3)).shape().toString());
        assertEquals("(None, 1)", new Dot(1).apply(Input.shape(8), Input.shape(8)).shape().toString());
        assertEquals("(None, 5, 7)", new Dot(2).apply(Input.shape(5, 3), Input.shape(7, 3)).shape().toString());
        assertEquals("(None, 9, 3)", new Concatenate(1).apply(Input.shape(4, 3), Input.shape(5, 3)).shape().toString());
    }

    @Test
    void disconnectedGraphNamesTheMissingInput() {
        Input used = Input.shape(3);
        Input other = Input.shape(3);
        Tensor out = new Add().apply(used, other);
        ShapeException e = assertThrows(ShapeException.class, () -> Model.of(used, out));
        assertTrue(e.getMessage().contains("Graph disconnected"), e.getMessage());
        assertTrue(e.getMessage().contains("Input(shape=(3,))"), e.getMessage());
    }

    @Test
    void fixedBatchFlowsThroughEveryLayer() {
        Input x = Input.shape(10, 8).batchSize(32);
        Tensor out = new Dense(2).apply(new LSTM(4, true).stateful(true).apply(x));
        Functional model = Model.of(x, out);
        assertEquals("(32, 10, 2)", model.outputShapes().get(0).toString());
        assertTrue(model.summary(SummaryStyle.TF_KERAS_2).contains("[(32, 10, 8)]"),
                model.summary(SummaryStyle.TF_KERAS_2));
        assertTrue(model.summary().contains("│ input_layer (InputLayer)        │ (32, 10, 8)            │"),
                model.summary());
    }

    @Test
    void jsonRoundTripKeepsGraphShapesAndNames() {
        Functional model = twoBranches();
        Model back = Model.fromKerasJson(model.toKerasJson());
        assertTrue(back instanceof Functional);
        assertEquals(model.summary(), back.summary());
        assertEquals(model.summary(SummaryStyle.TF_KERAS_2), back.summary(SummaryStyle.TF_KERAS_2));
        assertEquals(model.toKerasJson(), back.toKerasJson());
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.fromKerasJson(model.toKerasJson()));
        assertTrue(e.getMessage().contains("Model.fromKerasJson"), e.getMessage());
        Sequential sequential = Sequential.input(4).dense(2);
        assertSame(Sequential.class, Model.fromKerasJson(sequential.toKerasJson()).getClass());
    }
}
