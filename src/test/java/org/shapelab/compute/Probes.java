package org.shapelab.compute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.shapelab.bench.ForwardWorkloads;
import org.shapelab.model.Sequential;

/**
 * The measurements behind design choices in {@code org.shapelab.compute}, quoted in docs/performance.md. Each probe
 * times its variants interleaved, in rounds, in one process, so that they share the machine's drifts; run one with
 * {@code tools/bench/probe NAME} (names: allocation, layout, threads, call, result; peers W3 W5 runs org.shapelab.bench.PeerProbe). Not tests.
 */
public final class Probes {

    private Probes() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("peers")) {
            org.shapelab.bench.PeerProbe.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Nd4jRuntime.ensureLoaded();
        Map<String, Runnable> variants = switch (args.length == 0 ? "" : args[0]) {
            case "allocation" -> allocation();
            case "layout" -> layout();
            case "threads" -> threads();
            case "call" -> call();
            case "result" -> result();
            case "smallconv" -> smallConv();
            default -> throw new IllegalArgumentException("probe names: allocation, layout, threads, call, result");
        };
        interleaved(variants, 8, 0.4);
    }

    /** Why outputs are reused: a new 5.5 MB ND4J array against a raw malloc of the same size. */
    private static Map<String, Runnable> allocation() {
        long[] shape = {64, 26, 26, 32};
        long length = 64L * 26 * 26 * 32;
        INDArray reused = Nd4j.createUninitialized(DataType.FLOAT, shape);
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("Nd4j.createUninitialized (64, 26, 26, 32)", () -> Nd4j.createUninitialized(DataType.FLOAT, shape));
        variants.put("new FloatPointer of the same size", () -> new FloatPointer(length));
        variants.put("assign 0.5 into a reused array", () -> reused.assign(0.5f));
        return variants;
    }

    /** LeNet's first convolution (one 28x28x1 image, 6 filters 5x5 same) through SmallConv, and its steps. */
    private static Map<String, Runnable> smallConv() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 28, 28, 1);
        INDArray kernel = Nd4j.rand(DataType.FLOAT, 5, 5, 1, 6);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 6);
        SmallConv small = new SmallConv(new int[] {5, 5}, new int[] {1, 1}, new int[] {1, 1},
                org.shapelab.shape.Padding.SAME, kernel, bias);
        INDArray windows = Nd4j.rand(DataType.FLOAT, 784, 25);
        INDArray rows = kernel.reshape(25, 6);
        INDArray out = Nd4j.create(DataType.FLOAT, 784, 6);
        NativeOp product = new NativeOp("matmul").oneDnnIf(false);
        NativeOp productOneDnn = new NativeOp("matmul").oneDnnIf(true);
        NativeOp addBias = new NativeOp("biasadd").booleans(false);
        NativeOp conv = new NativeOp("conv2d", 5, 5, 1, 1, 0, 0, 1, 1, 1, 1, 0);
        INDArray convOut = Nd4j.create(DataType.FLOAT, 1, 28, 28, 6);
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("SmallConv.convolve", () -> NativeOp.reusingOutputs(true, () -> small.convolve(x)));
        Sequential lenet = ForwardWorkloads.lenet();
        ModelRuntime runtime = ModelRuntime.of(lenet);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 28, 28, 1);
        INDArray result = Nd4j.create(DataType.FLOAT, 1, 10);
        variants.put("LeNet predict(x, out)", () -> runtime.predict(image, result));
        variants.put("matmul 784x25 . 25x6, libnd4j", () -> product.run(out, windows, rows));
        variants.put("matmul 784x25 . 25x6, oneDNN", () -> productOneDnn.run(out, windows, rows));
        variants.put("biasadd 784x6", () -> addBias.run(out, out, bias));
        INDArray windowsT = Nd4j.rand(DataType.FLOAT, 25, 784);
        NativeOp productT = new NativeOp("matmul", 1, 0, 0).oneDnnIf(false);
        variants.put("matmul (25x784)T . 25x6, libnd4j", () -> productT.run(out, windowsT, rows));
        INDArray sixteen = Nd4j.create(DataType.FLOAT, 100, 16);
        INDArray windows2 = Nd4j.rand(DataType.FLOAT, 100, 150);
        INDArray rows2 = Nd4j.rand(DataType.FLOAT, 150, 16);
        variants.put("matmul 100x150 . 150x16, libnd4j", () -> product.run(sixteen, windows2, rows2));
        variants.put("conv2d op", () -> conv.run(convOut, x, kernel, bias));
        float[] sampleArray = new float[784];
        float[] windowArray = new float[19600];
        java.nio.FloatBuffer windowNio = windowsT.data().asNio().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        variants.put("step: FloatBuffer of x", () -> x.data().asNio());
        java.nio.FloatBuffer xNio = x.data().asNio().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        variants.put("step: bulk get 784", () -> xNio.get(0, sampleArray, 0, 784));
        variants.put("step: 700 arraycopies of 28", () -> {
            for (int r = 0; r < 700; r++) {
                System.arraycopy(sampleArray, (r % 28) * 28, windowArray, r * 28, 28);
            }
        });
        variants.put("step: bulk put 19600", () -> windowNio.put(0, windowArray));
        variants.put("SmallConv.convolve, 1 thread", () -> NativeOp.onOneThread(() -> NativeOp.reusingOutputs(true,
                () -> small.convolve(x))));
        variants.put("conv2d op, 1 thread", () -> NativeOp.onOneThread(() -> conv.run(convOut, x, kernel, bias)));
        return variants;
    }

    /** Ways to hand back a new 5.5 MB result (W2a's) copied from a reused one, each written in full. */
    private static Map<String, Runnable> result() {
        long[] shape = {64, 26, 26, 32};
        long length = 64L * 26 * 26 * 32;
        INDArray reused = Nd4j.rand(DataType.FLOAT, shape);
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("reused.dup('c')", () -> reused.dup('c'));
        variants.put("Nd4j.createUninitialized + assign", () -> Nd4j.createUninitialized(DataType.FLOAT, shape)
                .assign(reused));
        variants.put("Nd4j.createUninitialized + Pointer.memcpy", () -> {
            INDArray fresh = Nd4j.createUninitialized(DataType.FLOAT, shape);
            org.bytedeco.javacpp.Pointer.memcpy(fresh.data().pointer(), reused.data().pointer(), length * 4);
        });
        variants.put("new FloatPointer + Pointer.memcpy (no ND4J)", () -> {
            FloatPointer fresh = new FloatPointer(length);
            org.bytedeco.javacpp.Pointer.memcpy(fresh, reused.data().pointer(), length * 4);
        });
        com.sun.jna.Function alignedAlloc = com.sun.jna.Function.getFunction("c", "aligned_alloc");
        com.sun.jna.Function madvise = com.sun.jna.Function.getFunction("c", "madvise");
        com.sun.jna.Function free = com.sun.jna.Function.getFunction("c", "free");
        long huge = 2L << 20;
        long bytes = (length * 4 + huge - 1) / huge * huge;
        variants.put("aligned_alloc 2 MB + MADV_HUGEPAGE + memcpy + free", () -> {
            long at = com.sun.jna.Pointer.nativeValue((com.sun.jna.Pointer) alignedAlloc.invoke(
                    com.sun.jna.Pointer.class, new Object[] {huge, bytes}));
            madvise.invokeInt(new Object[] {new com.sun.jna.Pointer(at), bytes, 14});
            org.bytedeco.javacpp.Pointer.memcpy(new org.bytedeco.javacpp.Pointer() { { this.address = at; this.limit = bytes; this.capacity = bytes; } },
                    reused.data().pointer(), length * 4);
            free.invoke(new Object[] {new com.sun.jna.Pointer(at)});
        });
        variants.put("malloc + MADV_POPULATE_WRITE + memcpy + free", () -> {
            long at = com.sun.jna.Pointer.nativeValue((com.sun.jna.Pointer) alignedAlloc.invoke(
                    com.sun.jna.Pointer.class, new Object[] {4096L, length * 4}));
            madvise.invokeInt(new Object[] {new com.sun.jna.Pointer(at), length * 4, 23});
            org.bytedeco.javacpp.Pointer.memcpy(new org.bytedeco.javacpp.Pointer() { { this.address = at; this.limit = length * 4; this.capacity = length * 4; } },
                    reused.data().pointer(), length * 4);
            free.invoke(new Object[] {new com.sun.jna.Pointer(at)});
        });
        variants.put("memcpy into a second reused array", () -> org.bytedeco.javacpp.Pointer.memcpy(
                REUSED_TARGET.computeIfAbsent(length, n -> new FloatPointer(n)), reused.data().pointer(), length * 4));
        return variants;
    }

    private static final Map<Long, FloatPointer> REUSED_TARGET = new java.util.HashMap<>();

    /** Conv2D kernel layouts: Keras's [kh, kw, in, filters] (format 0) against [filters, kh, kw, in] (format 2). */
    private static Map<String, Runnable> layout() {
        Map<String, Runnable> variants = new LinkedHashMap<>();
        int[][] cases = {{32, 32, 32, 16, 32, 1}, {64, 28, 28, 1, 32, 0}, {1, 14, 14, 6, 16, 0}, {8, 8, 8, 128, 128, 1}};
        for (int[] c : cases) {
            INDArray x = Nd4j.rand(DataType.FLOAT, c[0], c[1], c[2], c[3]);
            INDArray keras = Nd4j.rand(DataType.FLOAT, 3, 3, c[3], c[4]);
            INDArray filtersFirst = keras.permute(3, 0, 1, 2).dup('c');
            INDArray bias = Nd4j.rand(DataType.FLOAT, c[4]);
            int same = c[5];
            INDArray out = NativeOp.empty(c[0], same == 1 ? c[1] : c[1] - 2, same == 1 ? c[2] : c[2] - 2, c[4]);
            NativeOp kerasLayout = new NativeOp("conv2d", 3, 3, 1, 1, 0, 0, 1, 1, same, 1, 0);
            NativeOp filtersFirstLayout = new NativeOp("conv2d", 3, 3, 1, 1, 0, 0, 1, 1, same, 1, 2);
            String name = String.format(Locale.ROOT, "(%d, %d, %d, %d) -> %d filters 3x3", c[0], c[1], c[2], c[3], c[4]);
            variants.put(name + ", [kh, kw, in, filters]", () -> kerasLayout.run(out, x, keras, bias));
            variants.put(name + ", [filters, kh, kw, in]", () -> filtersFirstLayout.run(out, x, filtersFirst, bias));
        }
        return variants;
    }

    /** A one-sample LeNet predict with libnd4j on two threads, on one, and switched to one per call. */
    private static Map<String, Runnable> threads() {
        Sequential lenet = ForwardWorkloads.lenet();
        ModelRuntime runtime = ModelRuntime.of(lenet);
        List<Computation> kernels = LayerTimes.kernels(runtime, lenet);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 28, 28, 1);
        INDArray out = Nd4j.create(DataType.FLOAT, 1, 10);
        // predict already switches such small work to one thread; the first variant runs the layers without it.
        Runnable pass = () -> {
            INDArray input = x;
            for (Computation kernel : kernels) {
                INDArray in = input;
                input = NativeOp.reusingOutputs(true, () -> kernel.forward(in, null));
            }
        };
        int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("forward pass on " + threads + " threads", pass);
        variants.put("forward pass on 1 thread", () -> NativeOp.onOneThread(() -> {
            pass.run();
            return null;
        }));
        variants.put("predict(x, out) (switches to 1 thread itself)", () -> runtime.predict(x, out));
        return variants;
    }

    /** One small op through ND4J's executioner against NativeOp's direct call. */
    private static Map<String, Runnable> call() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 10);
        INDArray y = NativeOp.empty(1, 10);
        org.nd4j.linalg.api.ops.DynamicCustomOp op = org.nd4j.linalg.api.ops.DynamicCustomOp.builder("relu").build();
        org.nd4j.linalg.api.ops.OpContext context = Nd4j.getExecutioner().buildContext();
        context.setTArguments(0.0);
        context.setInputArray(0, x);
        context.setOutputArray(0, y);
        NativeOp direct = new NativeOp("relu").floats(0.0);
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("relu of 10 values, Nd4j.getExecutioner().exec(op, context)",
                () -> Nd4j.getExecutioner().exec(op, context));
        variants.put("relu of 10 values, NativeOp.run (execCustomOp2)", () -> direct.run(y, x));
        return variants;
    }

    /** Each variant for {@code seconds} per round, variants taking turns; prints median and p10–p90 per variant. */
    private static void interleaved(Map<String, Runnable> variants, int rounds, double seconds) {
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        variants.keySet().forEach(name -> micros.put(name, new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Runnable> variant : variants.entrySet()) {
                for (int i = 0; i < 5; i++) {
                    variant.getValue().run();
                }
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    variant.getValue().run();
                    micros.get(variant.getKey()).add((System.nanoTime() - start) / 1e3);
                }
            }
        }
        micros.forEach((name, samples) -> {
            Collections.sort(samples);
            int n = samples.size();
            System.out.printf(Locale.ROOT, "%-62s %10.1f µs [%.1f–%.1f] n=%d%n", name, samples.get(n / 2),
                    samples.get(n / 10), samples.get(n * 9 / 10), n);
        });
    }
}
