package org.shapelab.bench;

import java.util.List;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DeepLearning4J 1.0.0-M2.1 peer: the same layers configured in DL4J (same JVM, same ND4J backend),
 * with the Keras weights converted to DL4J's layouts:
 * Dense W {@code [in, out]} as Keras; Conv2D weights OIYX even with NHWC data (Keras is YXIO);
 * Conv1D's W reports {@code [out, in, k, 1]} but is read as a {@code [k, in, out]} buffer, so the Keras buffer
 * goes in unchanged; LSTM gate blocks in DL4J's order [c, f, o, i] (Keras: i, f, c, o).
 */
final class Dl4jForward {

    private Dl4jForward() {
    }

    /** A DL4J network computing workload {@code id} with these Keras-ordered, Keras-layout weights. */
    static MultiLayerNetwork build(String id, List<INDArray> keras) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).list();
        switch (id) {
            case "W1" -> list.layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build());
            case "W2a" -> list.layer(conv2d(32, 3, ConvolutionMode.Truncate, Activation.RELU))
                    .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC));
            case "W2b" -> list.layer(conv2d(32, 3, ConvolutionMode.Same, Activation.IDENTITY))
                    .setInputType(InputType.convolutional(32, 32, 16, CNN2DFormat.NHWC));
            case "W3" -> list.layer(new Convolution1DLayer.Builder().kernelSize(9).stride(1).nIn(2).nOut(16)
                            .convolutionMode(ConvolutionMode.Truncate).rnnDataFormat(RNNFormat.NWC)
                            .activation(Activation.IDENTITY).build())
                    .setInputType(InputType.recurrent(2, 1000, RNNFormat.NWC));
            case "W4" -> list.layer(new LastTimeStep(new LSTM.Builder().nIn(16).nOut(64)
                            .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                            .dataFormat(RNNFormat.NWC).build()))
                    .setInputType(InputType.recurrent(16, 50, RNNFormat.NWC));
            case "W5" -> list.layer(conv2d(6, 5, ConvolutionMode.Same, Activation.RELU))
                    .layer(maxPool())
                    .layer(conv2d(16, 5, ConvolutionMode.Truncate, Activation.RELU))
                    .layer(maxPool())
                    .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC));
            default -> throw new IllegalArgumentException("no DL4J configuration for " + id);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        switch (id) {
            case "W1" -> dense(net, 0, keras.get(0), keras.get(1));
            case "W2a", "W2b" -> conv2dWeights(net, 0, keras.get(0), keras.get(1));
            case "W3" -> {
                INDArray w = net.getParam("0_W");
                // DL4J reads this parameter's buffer as [k, in, out]: the Keras buffer goes in as it is.
                w.assign(Nd4j.create(keras.get(0).dup('c').data().asFloat(), w.shape(), w.ordering()));
                setParam(net, "0_b", keras.get(1));
            }
            case "W4" -> {
                setParam(net, "0_W", lstmGates(keras.get(0)));
                setParam(net, "0_RW", lstmGates(keras.get(1)));
                setParam(net, "0_b", lstmGates(keras.get(2).reshape(1, -1)));
            }
            case "W5" -> {
                conv2dWeights(net, 0, keras.get(0), keras.get(1));
                conv2dWeights(net, 2, keras.get(2), keras.get(3));
                dense(net, 4, keras.get(4), keras.get(5));
                dense(net, 5, keras.get(6), keras.get(7));
                dense(net, 6, keras.get(8), keras.get(9));
            }
            default -> throw new IllegalArgumentException(id);
        }
        return net;
    }

    /** {@code net.output(x)}, DL4J's inference call. */
    static UnaryOperator<INDArray> forward(MultiLayerNetwork net) {
        return x -> net.output(x, false);
    }

    private static final WorkspaceConfiguration OUTPUT_WORKSPACE = WorkspaceConfiguration.builder()
            .policyLearning(LearningPolicy.FIRST_LOOP).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policySpill(SpillPolicy.REALLOCATE).build();

    /**
     * {@code net.output(x, false, workspace)}: DL4J's allocation-free call, the peer of ShapeLab's
     * {@code predict(x, out)}. The output lives in a workspace reused on every call and is valid only until it
     * closes, so a caller that keeps it must copy it ({@code copy}, used for the correctness check); the timed
     * call does not copy, which favours DL4J over ours (ours copies into {@code out}).
     */
    static UnaryOperator<INDArray> forwardInWorkspace(MultiLayerNetwork net, boolean copy) {
        return x -> {
            try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(OUTPUT_WORKSPACE,
                    "bench-dl4j-output")) {
                INDArray out = net.output(x, false, workspace);
                return copy ? out.detach() : out;
            }
        };
    }

    private static ConvolutionLayer conv2d(int filters, int kernel, ConvolutionMode mode, Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(1, 1).nOut(filters).convolutionMode(mode)
                .dataFormat(CNN2DFormat.NHWC).activation(activation).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NHWC).build();
    }

    private static void dense(MultiLayerNetwork net, int layer, INDArray kernel, INDArray bias) {
        setParam(net, layer + "_W", kernel);
        setParam(net, layer + "_b", bias);
    }

    private static void conv2dWeights(MultiLayerNetwork net, int layer, INDArray kernel, INDArray bias) {
        setParam(net, layer + "_W", kernel.permute(3, 2, 0, 1)); // Keras [kh, kw, in, out] -> OIYX
        setParam(net, layer + "_b", bias);
    }

    /** Reorders the 4 gate blocks of the last axis from Keras's (i, f, c, o) to DL4J's (c, f, o, i). */
    private static INDArray lstmGates(INDArray keras) {
        long units = keras.size(1) / 4;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, keras.shape());
        int[] fromKeras = {2, 1, 3, 0};
        for (int block = 0; block < 4; block++) {
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(block * units, (block + 1) * units))
                    .assign(keras.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(fromKeras[block] * units,
                                    (fromKeras[block] + 1) * units)));
        }
        return out;
    }

    private static void setParam(MultiLayerNetwork net, String key, INDArray value) {
        INDArray param = net.getParam(key);
        if (param == null) {
            throw new IllegalStateException("DL4J network has no parameter " + key + "; it has " + net.paramTable().keySet());
        }
        if (param.length() != value.length()) {
            throw new IllegalStateException("DL4J parameter " + key + " has " + param.length() + " values, Keras weight "
                    + value.length());
        }
        param.assign(value.reshape(param.shape()));
    }
}
