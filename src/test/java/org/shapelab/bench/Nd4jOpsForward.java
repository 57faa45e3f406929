package org.shapelab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The workloads written directly with ND4J/libnd4j ops, in several ways, to find out (by measurement) what
 * ShapeLab's compute code needs: which op, weight layout, buffer reuse and call style. Not a peer: a target.
 * Every variant's output is checked against ours like a peer's before it is timed.
 *
 * <p>Each variant is bound to the input array given at build time (as a model would bind its buffers to a
 * batch shape); {@code predict} on the same array reuses every buffer, on another array it sets the new
 * input first.
 */
final class Nd4jOpsForward {

    /** The variant the main benchmark shows in its "ND4J ops" column, per workload. */
    static final Map<String, String> BEST = Map.of(
            "W1", "gemm+bias+relu, reused output",
            "W2a", "conv2d NHWC/YXIO, reused output",
            "W2b", "conv2d NHWC/YXIO, reused output",
            "W3", "conv1d NWC, reused output",
            "W4", "lstmLayer [bS,sL,nIn], reused output",
            "W5", "op chain, reused buffers, OpContext");

    private Nd4jOpsForward() {
    }

    /** All variants of one workload, by name, in the order they are measured. */
    static Map<String, UnaryOperator<INDArray>> variants(String id, List<INDArray> w, INDArray x) {
        Map<String, UnaryOperator<INDArray>> v = new LinkedHashMap<>();
        switch (id) {
            case "W1" -> {
                v.put("mmul+addiRowVector+relu, new arrays", in ->
                        Transforms.relu(in.mmul(w.get(0)).addiRowVector(w.get(1)), false));
                v.put("gemm+bias+relu, reused output", denseGemm(x, w.get(0), w.get(1), true));
                v.put("xw_plus_b + relu, reused output", denseOp(x, w.get(0), w.get(1), "xw_plus_b", true));
                v.put("relu_layer (fused), reused output", denseOp(x, w.get(0), w.get(1), "relu_layer", false));
            }
            case "W2a", "W2b" -> {
                boolean same = id.equals("W2b");
                boolean relu = id.equals("W2a");
                v.put("Nd4j.cnn().conv2d NHWC, new arrays", conv2dAllocating(w.get(0), w.get(1), same, relu));
                v.put("conv2d NHWC/YXIO, reused output", conv2d(x, w.get(0), w.get(1), same, relu, 0, true));
                v.put("conv2d NHWC/OIYX, reused output", conv2d(x, w.get(0), w.get(1), same, relu, 1, true));
                v.put("conv2d NHWC/OYXI, reused output", conv2d(x, w.get(0), w.get(1), same, relu, 2, true));
                v.put("conv2d NCHW/OIYX + 2 permute copies, reused", conv2dNchw(x, w.get(0), w.get(1), same, relu));
                v.put("shifted-window copies + gemm, reused", conv2dGemm(x, w.get(0), w.get(1), same, relu));
            }
            case "W3" -> {
                v.put("conv1d NWC, new output", conv1d(x, w.get(0), w.get(1), false));
                v.put("conv1d NWC, reused output", conv1d(x, w.get(0), w.get(1), true));
                v.put("conv2d on [B,1,L,C] view, reused output", conv1dAs2d(x, w.get(0), w.get(1)));
                v.put("window copy + gemm + biasadd, reused", conv1dGemm(x, w.get(0), w.get(1)));
            }
            case "W4" -> {
                v.put("lstmLayer [bS,sL,nIn], new output", lstm(x, w, false, false));
                v.put("lstmLayer [bS,sL,nIn], reused output", lstm(x, w, false, true));
                v.put("lstmLayer [sL,bS,nIn] + transpose copy, reused", lstm(x, w, true, true));
                v.put("lstmLayer [bS,sL,nIn], reused output, OpenMP 1 thread", oneThread(lstm(x, w, false, true)));
            }
            case "W5" -> {
                v.put("op chain, new arrays", lenetAllocating(w));
                v.put("op chain, reused buffers, Nd4j.exec(op)", lenet(x, w, false));
                v.put("op chain, reused buffers, OpContext", lenet(x, w, true));
                v.put("op chain, reused buffers, OpContext, no oneDNN helpers", lenet(x, w, true, false));
            }
            default -> throw new IllegalArgumentException(id);
        }
        // What a predict that must hand back a new array costs on top: the best variant plus one copy.
        UnaryOperator<INDArray> best = v.get(BEST.get(id));
        v.put(BEST.get(id) + ", returns dup()", in -> best.apply(in).dup());
        return v;
    }

    // ---- Dense ----

    private static UnaryOperator<INDArray> denseGemm(INDArray x, INDArray kernel, INDArray bias, boolean relu) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), kernel.size(1));
        Nd4jOps biasAdd = Nd4jOps.call("biasadd").in(out, bias).out(out).build(true);
        Nd4jOps act = Nd4jOps.call("relu").in(out).out(out).t(0.0).build(true);
        return in -> {
            Nd4j.gemm(in, kernel, out, false, false, 1.0, 0.0);
            biasAdd.run();
            if (relu) {
                act.run();
            }
            return out;
        };
    }

    private static UnaryOperator<INDArray> denseOp(INDArray x, INDArray kernel, INDArray bias, String op, boolean relu) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), kernel.size(1));
        Nd4jOps call = Nd4jOps.call(op).in(x, kernel, bias).out(out).build(true);
        Nd4jOps act = Nd4jOps.call("relu").in(out).out(out).t(0.0).build(true);
        return bind(call, x, () -> {
            call.run();
            if (relu) {
                act.run();
            }
            return out;
        });
    }

    // ---- Conv2D ----

    private static Conv2DConfig config(long k, boolean same, String format) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).dH(1).dW(1)
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat(format).build();
    }

    private static UnaryOperator<INDArray> conv2dAllocating(INDArray kernel, INDArray bias, boolean same, boolean relu) {
        Conv2DConfig config = config(kernel.size(0), same, "NHWC");
        return in -> {
            INDArray out = Nd4j.cnn().conv2d(in, kernel, bias, config);
            return relu ? Transforms.relu(out, false) : out;
        };
    }

    /** Weights given in Keras YXIO; {@code wFormat} 1 (OIYX) and 2 (OYXI) are converted once here. */
    static UnaryOperator<INDArray> conv2d(INDArray x, INDArray kernel, INDArray bias, boolean same, boolean relu,
                                          int wFormat, boolean reuse) {
        long k = kernel.size(0);
        INDArray weights = switch (wFormat) {
            case 0 -> kernel;
            case 1 -> kernel.permute(3, 2, 0, 1).dup('c');
            case 2 -> kernel.permute(3, 0, 1, 2).dup('c');
            default -> throw new IllegalArgumentException("wFormat " + wFormat);
        };
        long outRows = same ? x.size(1) : x.size(1) - k + 1;
        long outCols = same ? x.size(2) : x.size(2) - k + 1;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), outRows, outCols, kernel.size(3));
        Nd4jOps conv = Nd4jOps.call("conv2d").in(x, weights, bias).out(out)
                .i(k, k, 1, 1, 0, 0, 1, 1, same ? 1 : 0, 1, wFormat).build(true);
        Nd4jOps act = Nd4jOps.call("relu").in(out).out(out).t(0.0).build(true);
        if (!reuse) {
            throw new UnsupportedOperationException("use conv2dAllocating");
        }
        return bind(conv, x, () -> {
            conv.run();
            if (relu) {
                act.run();
            }
            return out;
        });
    }

    private static UnaryOperator<INDArray> conv2dNchw(INDArray x, INDArray kernel, INDArray bias, boolean same,
                                                      boolean relu) {
        long k = kernel.size(0);
        INDArray weights = kernel.permute(3, 2, 0, 1).dup('c');
        INDArray xNchw = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(3), x.size(1), x.size(2));
        long outRows = same ? x.size(1) : x.size(1) - k + 1;
        long outCols = same ? x.size(2) : x.size(2) - k + 1;
        INDArray outNchw = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), kernel.size(3), outRows, outCols);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), outRows, outCols, kernel.size(3));
        Nd4jOps conv = Nd4jOps.call("conv2d").in(xNchw, weights, bias).out(outNchw)
                .i(k, k, 1, 1, 0, 0, 1, 1, same ? 1 : 0, 0, 1).build(true);
        Nd4jOps act = Nd4jOps.call("relu").in(out).out(out).t(0.0).build(true);
        return in -> {
            xNchw.assign(in.permute(0, 3, 1, 2));
            conv.run();
            out.assign(outNchw.permute(0, 2, 3, 1));
            if (relu) {
                act.run();
            }
            return out;
        };
    }

    /**
     * Conv2D (NHWC, stride 1, odd square kernel) as one matrix product: the k·k shifted windows of the input are
     * copied into a reused patch buffer {@code [N, OH, OW, kh, kw, C]}, whose rows times Keras's kernel reshaped
     * to {@code [kh·kw·C, F]} give the NHWC output directly. "same" copies the input into a reused zero-bordered
     * buffer first (odd k: TensorFlow's padding is symmetric).
     */
    private static UnaryOperator<INDArray> conv2dGemm(INDArray x, INDArray kernel, INDArray bias, boolean same,
                                                      boolean relu) {
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        long c = x.size(3);
        long k = kernel.size(0);
        long f = kernel.size(3);
        long outH = same ? h : h - k + 1;
        long outW = same ? w : w - k + 1;
        long pad = same ? (k - 1) / 2 : 0;
        INDArray padded = same ? Nd4j.zeros(DataType.FLOAT, n, h + k - 1, w + k - 1, c) : null;
        INDArray interior = same ? padded.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + h),
                NDArrayIndex.interval(pad, pad + w), NDArrayIndex.all()) : null;
        INDArray source = same ? padded : x;
        INDArray patches = Nd4j.createUninitialized(DataType.FLOAT, n, outH, outW, k, k, c);
        INDArray rows = patches.reshape(n * outH * outW, k * k * c);
        INDArray kernel2d = kernel.reshape(k * k * c, f);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, outH, outW, f);
        INDArray out2d = out.reshape(n * outH * outW, f);
        List<INDArray[]> copies = new ArrayList<>();
        for (long i = 0; i < k; i++) {
            for (long j = 0; j < k; j++) {
                copies.add(new INDArray[] {
                        source.get(NDArrayIndex.all(), NDArrayIndex.interval(i, i + outH),
                                NDArrayIndex.interval(j, j + outW), NDArrayIndex.all()),
                        patches.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i),
                                NDArrayIndex.point(j), NDArrayIndex.all())});
            }
        }
        Nd4jOps biasAdd = Nd4jOps.call("biasadd").in(out2d, bias).out(out2d).build(true);
        Nd4jOps act = Nd4jOps.call("relu").in(out2d).out(out2d).t(0.0).build(true);
        return in -> {
            if (same) {
                interior.assign(in);
            } else if (in != x) {
                throw new UnsupportedOperationException("bound to its input");
            }
            for (INDArray[] copy : copies) {
                copy[1].assign(copy[0]);
            }
            Nd4j.gemm(rows, kernel2d, out2d, false, false, 1.0, 0.0);
            biasAdd.run();
            if (relu) {
                act.run();
            }
            return out;
        };
    }

    // ---- Conv1D ----

    private static UnaryOperator<INDArray> conv1d(INDArray x, INDArray kernel, INDArray bias, boolean reuse) {
        long k = kernel.size(0);
        long[] outShape = {x.size(0), x.size(1) - k + 1, kernel.size(2)};
        if (!reuse) {
            return in -> {
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, outShape);
                Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("conv1d").addInputs(in, kernel, bias)
                        .addOutputs(out).addIntegerArguments((int) k, 1, 0, 1, 0, 1, 0).build());
                return out;
            };
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, outShape);
        // iArgs: kW, sW, pW, dW, paddingMode (0 valid), format (1 = NWC), wFormat (0 = [k, in, out], Keras)
        Nd4jOps conv = Nd4jOps.call("conv1d").in(x, kernel, bias).out(out).i(k, 1, 0, 1, 0, 1, 0).build(true);
        return bind(conv, x, () -> {
            conv.run();
            return out;
        });
    }

    private static UnaryOperator<INDArray> conv1dAs2d(INDArray x, INDArray kernel, INDArray bias) {
        long k = kernel.size(0);
        INDArray x4 = x.reshape(x.size(0), 1, x.size(1), x.size(2));
        INDArray w4 = kernel.reshape(1, k, kernel.size(1), kernel.size(2));
        INDArray out4 = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), 1, x.size(1) - k + 1, kernel.size(2));
        INDArray out = out4.reshape(x.size(0), x.size(1) - k + 1, kernel.size(2));
        Nd4jOps conv = Nd4jOps.call("conv2d").in(x4, w4, bias).out(out4)
                .i(1, k, 1, 1, 0, 0, 1, 1, 0, 1, 0).build(true);
        return in -> {
            if (in != x) {
                conv.setInput(0, in.reshape(in.size(0), 1, in.size(1), in.size(2)));
            }
            conv.run();
            return out;
        };
    }

    /** Windows of k·C consecutive values (NWC keeps a window contiguous), copied once, then one gemm. */
    private static UnaryOperator<INDArray> conv1dGemm(INDArray x, INDArray kernel, INDArray bias) {
        long k = kernel.size(0);
        long batch = x.size(0);
        long length = x.size(1);
        long channels = x.size(2);
        long outLength = length - k + 1;
        INDArray patches = Nd4j.createUninitialized(DataType.FLOAT, batch, outLength, k * channels);
        INDArray patches2d = patches.reshape(batch * outLength, k * channels);
        INDArray kernel2d = kernel.reshape(k * channels, kernel.size(2));
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, batch, outLength, kernel.size(2));
        INDArray out2d = out.reshape(batch * outLength, kernel.size(2));
        Nd4jOps biasAdd = Nd4jOps.call("biasadd").in(out2d, bias).out(out2d).build(true);
        return in -> {
            INDArray windows = Nd4j.create(in.data(), new long[] {batch, outLength, k * channels},
                    new long[] {length * channels, channels, 1}, in.offset(), 'c', DataType.FLOAT);
            patches.assign(windows);
            Nd4j.gemm(patches2d, kernel2d, out2d, false, false, 1.0, 0.0);
            biasAdd.run();
            return out;
        };
    }

    // ---- LSTM ----

    private static UnaryOperator<INDArray> lstm(INDArray x, List<INDArray> w, boolean timeMajor, boolean reuse) {
        long units = w.get(1).size(0);
        // iArgs: dataFormat, directionMode 0 (forward), gate sigmoid (2), cell tanh (0), output tanh (0)
        long[] iArgs = {timeMajor ? 0 : 1, 0, 2, 0, 0};
        // bArgs: hasBiases, hasSeqLen, hasInitH, hasInitC, hasPH, retFullSeq, retLastH, retLastC
        boolean[] bArgs = {true, false, false, false, false, false, true, false};
        if (!reuse) {
            return in -> {
                INDArray h = Nd4j.createUninitialized(DataType.FLOAT, in.size(0), units);
                Nd4jOps.call("lstmLayer").in(in, w.get(0), w.get(1), w.get(2)).out(h).i(iArgs).t(0.0).b(bArgs)
                        .build(false).run();
                return h;
            };
        }
        INDArray h = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), units);
        INDArray xt = timeMajor ? Nd4j.createUninitialized(DataType.FLOAT, x.size(1), x.size(0), x.size(2)) : x;
        Nd4jOps call = Nd4jOps.call("lstmLayer").in(xt, w.get(0), w.get(1), w.get(2)).out(h).i(iArgs).t(0.0)
                .b(bArgs).build(true);
        return in -> {
            if (timeMajor) {
                xt.assign(in.permute(1, 0, 2));
            } else if (in != x) {
                call.setInput(0, in);
            }
            call.run();
            return h;
        };
    }

    /**
     * Runs the call with OpenMP limited to one thread for the calling thread, then restores it (what ShapeLab's
     * NativeOp.onOneThread does; ND4J's Environment.setMaxThreads has no effect in 1.0.0-M2.1).
     */
    private static UnaryOperator<INDArray> oneThread(UnaryOperator<INDArray> call) {
        return in -> {
            var nativeOps = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
            int threads = nativeOps.ompGetMaxThreads();
            nativeOps.setOmpNumThreads(1);
            try {
                return call.apply(in);
            } finally {
                nativeOps.setOmpNumThreads(threads);
            }
        };
    }

    // ---- LeNet (W5) ----

    private static UnaryOperator<INDArray> lenetAllocating(List<INDArray> w) {
        Conv2DConfig c1 = config(5, true, "NHWC");
        Conv2DConfig c2 = config(5, false, "NHWC");
        org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig pool =
                org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig.builder()
                        .kH(2).kW(2).sH(2).sW(2).isNHWC(true)
                        .type(org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Pooling2DType.MAX)
                        .build();
        return in -> {
            INDArray a = Transforms.relu(Nd4j.cnn().conv2d(in, w.get(0), w.get(1), c1), false);
            a = Nd4j.cnn().maxPooling2d(a, pool);
            a = Transforms.relu(Nd4j.cnn().conv2d(a, w.get(2), w.get(3), c2), false);
            a = Nd4j.cnn().maxPooling2d(a, pool);
            a = a.reshape(a.size(0), -1);
            a = Transforms.relu(a.mmul(w.get(4)).addiRowVector(w.get(5)), false);
            a = Transforms.relu(a.mmul(w.get(6)).addiRowVector(w.get(7)), false);
            return Transforms.softmax(a.mmul(w.get(8)).addiRowVector(w.get(9)), false);
        };
    }

    private static UnaryOperator<INDArray> lenet(INDArray x, List<INDArray> w, boolean viaContext) {
        return lenet(x, w, viaContext, true);
    }

    private static UnaryOperator<INDArray> lenet(INDArray x, List<INDArray> w, boolean viaContext, boolean helpers) {
        long n = x.size(0);
        INDArray c1 = Nd4j.createUninitialized(DataType.FLOAT, n, 28, 28, 6);
        INDArray p1 = Nd4j.createUninitialized(DataType.FLOAT, n, 14, 14, 6);
        INDArray c2 = Nd4j.createUninitialized(DataType.FLOAT, n, 10, 10, 16);
        INDArray p2 = Nd4j.createUninitialized(DataType.FLOAT, n, 5, 5, 16);
        INDArray flat = p2.reshape(n, 400);
        INDArray d1 = Nd4j.createUninitialized(DataType.FLOAT, n, 120);
        INDArray d2 = Nd4j.createUninitialized(DataType.FLOAT, n, 84);
        INDArray d3 = Nd4j.createUninitialized(DataType.FLOAT, n, 10);
        INDArray probs = Nd4j.createUninitialized(DataType.FLOAT, n, 10);
        List<Nd4jOps> chain = new ArrayList<>();
        chain.add(Nd4jOps.call("conv2d").in(x, w.get(0), w.get(1)).out(c1).i(5, 5, 1, 1, 0, 0, 1, 1, 1, 1, 0)
                .helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("relu").in(c1).out(c1).t(0.0).helpers(helpers).build(viaContext));
        // maxpool2d iArgs: kH, kW, sH, sW, pH, pW, dH, dW, same, extraParam0, NHWC
        chain.add(Nd4jOps.call("maxpool2d").in(c1).out(p1).i(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("conv2d").in(p1, w.get(2), w.get(3)).out(c2).i(5, 5, 1, 1, 0, 0, 1, 1, 0, 1, 0)
                .helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("relu").in(c2).out(c2).t(0.0).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("maxpool2d").in(c2).out(p2).i(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("xw_plus_b").in(flat, w.get(4), w.get(5)).out(d1).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("relu").in(d1).out(d1).t(0.0).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("xw_plus_b").in(d1, w.get(6), w.get(7)).out(d2).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("relu").in(d2).out(d2).t(0.0).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("xw_plus_b").in(d2, w.get(8), w.get(9)).out(d3).helpers(helpers).build(viaContext));
        chain.add(Nd4jOps.call("softmax").in(d3).out(probs).i(-1).helpers(helpers).build(viaContext));
        Nd4jOps first = chain.get(0);
        return bind(first, x, () -> {
            for (Nd4jOps op : chain) {
                op.run();
            }
            return probs;
        });
    }

    private static UnaryOperator<INDArray> bind(Nd4jOps first, INDArray boundInput,
                                                java.util.function.Supplier<INDArray> body) {
        INDArray[] current = {boundInput};
        return in -> {
            if (in != current[0]) {
                first.setInput(0, in);
                current[0] = in;
            }
            return body.get();
        };
    }
}
