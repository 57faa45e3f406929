package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.GRU;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

/** The native LSTM op against the step loop, and Keras's masking (mask_zero) semantics. */
class RecurrentTest {

    static double maxDifference(INDArray a, INDArray b) {
        assertArrayEquals(a.shape(), b.shape());
        return Transforms.abs(a.sub(b), false).maxNumber().doubleValue();
    }

    @ParameterizedTest(name = "returnSequences={0} goBackwards={1} bias={2} activation={3}")
    @CsvSource({"false,false,true,tanh", "true,false,true,tanh", "true,true,true,tanh", "false,true,false,tanh",
            "true,false,true,relu", "false,false,true,softsign"})
    void nativeLstmEqualsStepLoop(boolean returnSequences, boolean goBackwards, boolean useBias, String activation) {
        LSTM layer = new LSTM(5, returnSequences).goBackwards(goBackwards).useBias(useBias).activation(activation);
        Sequential model = Sequential.input(7, 3).add(layer);
        List<INDArray> weights = ModelRuntime.of(model).seed(3).getWeights();
        if (useBias) {
            weights.get(2).assign(Nd4j.rand(DataType.FLOAT, 20).subi(0.5));
        }
        RecurrentComputation kernel = new RecurrentComputation(layer, weights);
        assertTrue(kernel.usesNativeLstm());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 7, 3).subi(0.5).muli(3);
        assertTrue(maxDifference(kernel.forward(x, null), kernel.forwardWithStepLoop(x)) < 1e-5);
    }

    @Test
    void unusualLstmActivationsUseTheStepLoop() {
        LSTM layer = new LSTM(3).activation("gelu").recurrentActivation("hard_sigmoid");
        Sequential model = Sequential.input(4, 2).add(layer);
        assertFalse(new RecurrentComputation(layer, ModelRuntime.of(model).getWeights()).usesNativeLstm());
        assertArrayEquals(new long[] {2, 3}, ModelRuntime.of(model).predict(Nd4j.rand(DataType.FLOAT, 2, 4, 2)).shape());
    }

    static Layer recurrent(String kind, boolean returnSequences) {
        return switch (kind) {
            case "lstm" -> new LSTM(3, returnSequences);
            case "gru" -> new GRU(3, returnSequences);
            default -> new SimpleRNN(3, returnSequences);
        };
    }

    /** A masked step is skipped: the result equals running the sequence with those steps left out. */
    @ParameterizedTest
    @CsvSource({"lstm", "gru", "simple_rnn"})
    void maskedStepsAreSkipped(String kind) {
        Sequential masked = Sequential.input(Shape.NONE).add(new Embedding(10, 4).maskZero(true))
                .add(recurrent(kind, false));
        Sequential plain = Sequential.input(Shape.NONE).add(new Embedding(10, 4)).add(recurrent(kind, false));
        ModelRuntime maskedRuntime = ModelRuntime.of(masked);
        ModelRuntime plainRuntime = ModelRuntime.of(plain);
        plainRuntime.setWeights(maskedRuntime.getWeights());

        INDArray withPadding = maskedRuntime.predict(new float[] {3, 0, 0, 5, 0, 2}, new float[] {0, 0, 4, 1, 7, 0});
        INDArray first = plainRuntime.predict(new float[] {3, 5, 2});
        INDArray second = plainRuntime.predict(new float[] {4, 1, 7});
        assertTrue(maxDifference(withPadding.getRow(0, true), first) < 1e-6);
        assertTrue(maxDifference(withPadding.getRow(1, true), second) < 1e-6);
    }

    @Test
    void maskedSequenceOutputRepeatsThePreviousOutput() {
        Sequential model = Sequential.input(4).add(new Embedding(10, 4).maskZero(true)).add(new LSTM(2, true));
        INDArray y = ModelRuntime.of(model).predict(new float[] {0, 3, 0, 5});
        // Step 0 is masked before anything was read: the initial state, zeros. Step 2 repeats step 1.
        assertEquals(0.0, y.getDouble(0, 0, 0));
        assertEquals(0.0, y.getDouble(0, 0, 1));
        assertEquals(y.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all()),
                y.get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.all()));
        assertTrue(maxDifference(y.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all()),
                y.get(NDArrayIndex.point(0), NDArrayIndex.point(3), NDArrayIndex.all())) > 1e-4);
    }

    @Test
    void globalAveragePoolingAveragesUnmaskedStepsOnly() {
        Sequential model = Sequential.input(5).add(new Embedding(6, 3).maskZero(true)).globalAveragePooling1d();
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray table = runtime.getWeights().get(0);
        INDArray y = runtime.predict(new float[] {2, 0, 5, 0, 0});
        INDArray expected = table.getRow(2).add(table.getRow(5)).divi(2).reshape(1, 3);
        assertTrue(maxDifference(y, expected) < 1e-7);
    }
}
