package org.shapelab.display;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.Layer;
import org.shapelab.model.Model;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.Shape;

/**
 * The notebooks' exercise checks: compare a learner's answer with the value ShapeLab computes and show "right", or
 * "not yet" with the mistakes recognised and the exercise's hint.
 *
 * <p>Answers may be written in any of Keras's notations: {@code (None, 30, 32)}, {@code [None, 30, 32]}, with or
 * without spaces, one axis as {@code (10,)} or {@code (10)}, {@code TensorShape([None, 10])}; or given as a
 * {@link Shape}, an {@code int[]}/{@code long[]}, a number.
 *
 * <p>From the two answers alone the check recognises: the batch axis forgotten (or added to a declared sample
 * shape), None written for a real array's batch size, the channel axis forgotten, channels first and last swapped,
 * a shape given for a number and the other way round, a shape ShapeLab cannot read. Given the layer or model the
 * question is about ({@link #check(String, Object, Object, Layer, String)}), also: valid padding's {@code k - 1}
 * forgotten, off by one, strides, dilation or pooling forgotten, the filters not the channels, return_sequences,
 * Dense's last axis, and in parameter counts the biases, the gates, the recurrent kernel, the input channels.
 *
 * <p>{@link #checkModel} compares a model the learner built with the intended one, layer by layer. A hint never
 * shows the expected answer; {@link #solution(String)} does, when asked for.
 *
 * <p>Output renders in JShell as plain text and in a notebook as HTML (the hint folded), through the running
 * kernel's display. Checks never throw.
 */
public final class Exercise {

    /** The latest expected answer of each exercise checked, for {@link #solution(String)}. */
    private static final Map<String, Asked> ASKED = new ConcurrentHashMap<>();

    private static volatile Consumer<MimeBundle> output = Exercise::show;

    private Exercise() {
    }

    private record Asked(Object expected, Object context) {
    }

    // ---- values: shapes, numbers ----

    /** Shows whether {@code yours} is {@code expected}, with the mistakes ShapeLab recognises if it is not. */
    public static void check(String exercise, Object yours, Object expected) {
        emit(verdict(exercise, yours, expected, null, ""));
    }

    /** Shows whether {@code yours} is {@code expected}, with the mistakes recognised and {@code hint} if not. */
    public static void check(String exercise, Object yours, Object expected, String hint) {
        emit(verdict(exercise, yours, expected, null, hint));
    }

    /**
     * The same, knowing the layer the answer is about (its output shape, one of its sizes, its parameter count),
     * so that its window, units or gates explain a wrong answer.
     */
    public static void check(String exercise, Object yours, Object expected, Layer context, String hint) {
        emit(verdict(exercise, yours, expected, context, hint));
    }

    /**
     * The same, knowing the model the answer is about: the layer whose output (or size, or parameter count) the
     * expected answer is, found by its value, and for a Sequential the mistakes made across several layers
     * (pooling forgotten, valid padding's shrink forgotten in every convolution).
     */
    public static void check(String exercise, Object yours, Object expected, Model context, String hint) {
        emit(verdict(exercise, yours, expected, context, hint));
    }

    /** Whether an answer is the expected value, in any of the notations above. */
    public static boolean matches(Object yours, Object expected) {
        try {
            if (expected instanceof Model || ModelCheck.isModelAnswer(yours)) {
                return verdict("", yours, expected, null, "").isRight();
            }
            return Answer.of(yours).sameAs(Answer.of(expected));
        } catch (RuntimeException unexpected) {
            return false;
        }
    }

    // ---- models ----

    /** Compares a model you built with the intended one, layer by layer, and names the first difference. */
    public static void checkModel(Object yours, Model expected) {
        emit(verdict("Your model", yours, expected, null, ""));
    }

    /**
     * Compares the learner's model ({@code yours}: a model, or a {@code Supplier} that builds one, so that a shape
     * error is reported as the answer's problem) with {@code expected}: the intended model (layer by layer: inputs,
     * layer classes, output shapes, parameters, options), or a spec of what goes in and out,
     * {@code "(None, None, 4) -> (None, 3)"} (any layers between; an axis the spec leaves None must stay None),
     * or the output shape alone.
     */
    public static void checkModel(String exercise, Object yours, Object expected) {
        emit(verdict(exercise, yours, expected, null, ""));
    }

    /** {@link #checkModel(String, Object, Object)} with the exercise's hint. */
    public static void checkModel(String exercise, Object yours, Object expected, String hint) {
        emit(verdict(exercise, yours, expected, null, hint));
    }

    // ---- solutions ----

    /**
     * Shows the answer of an exercise whose check has run: the value ShapeLab computed, and how it arises where
     * ShapeLab can say (a parameter formula, a window's arithmetic, the intended model's summary). In a notebook it
     * is folded until clicked.
     */
    public static void solution(String exercise) {
        emit(solutionBundle(exercise));
    }

    // ---- for tests and the renderers ----

    static Verdict verdict(String exercise, Object yours, Object expected, Object context, String hint) {
        String name = exercise == null || exercise.isBlank() ? "Your answer" : exercise;
        try {
            ASKED.put(name, new Asked(expected, context));
            if (expected instanceof Model || ModelCheck.isModelAnswer(yours)) {
                return ModelCheck.check(name, yours, expected, hint);
            }
            return AnswerCheck.check(name, yours, expected, context, hint);
        } catch (RuntimeException | StackOverflowError unexpected) {
            boolean right = Answer.normalized(MimeBundle.plainText(yours))
                    .equals(Answer.normalized(MimeBundle.plainText(expected)));
            return right ? Verdict.right(name, MimeBundle.plainText(expected))
                    : Verdict.notYet(name, MimeBundle.plainText(yours), java.util.List.of(), hint);
        }
    }

    static MimeBundle solutionBundle(String exercise) {
        String name = exercise == null || exercise.isBlank() ? "Your answer" : exercise;
        Asked asked = ASKED.get(name);
        if (asked == null) {
            return MimeBundle.text(name + ": run its check first; solution(\"" + name + "\") then shows the answer"
                    + " that check computes.");
        }
        return MimeBundle.guarded(name, () -> solutionOf(name, asked));
    }

    private static MimeBundle solutionOf(String name, Asked asked) {
        Object expected = asked.expected();
        String answer = expected instanceof Model model ? ModelCheck.describe(model) : Answer.of(expected).text;
        String how = how(expected, asked.context());
        StringBuilder text = new StringBuilder(name).append(", the answer: ").append(answer);
        if (how != null) {
            text.append("\n  ").append(how.replace("\n", "\n  "));
        }
        if (expected instanceof Model model) {
            text.append("\n").append(model.summary());
        }
        StringBuilder html = new StringBuilder("<details style=\"font-family:system-ui,-apple-system,'Segoe UI',"
                + "sans-serif;font-size:13px;margin:4px 0\"><summary style=\"cursor:pointer\">Solution to ")
                .append(Html.escape(name)).append(" (click to show)</summary><div style=\"margin:4px 0 4px 16px\">")
                .append("<span style=\"font-family:ui-monospace,Menlo,Consolas,monospace\">")
                .append(Html.shape(answer)).append("</span>");
        if (how != null) {
            html.append("<div style=\"margin-top:2px;white-space:pre-wrap\">").append(Html.escape(how)).append("</div>");
        }
        if (expected instanceof Model model) {
            html.append(MimeBundle.of(model).get(MimeBundle.HTML).orElse(""));
        }
        html.append("</div></details>");
        return MimeBundle.text(text.toString()).withHtml(html.toString());
    }

    /** How the answer arises, where the context tells: a parameter formula, a window's arithmetic; else null. */
    private static String how(Object expected, Object context) {
        Answer e = Answer.of(expected);
        AnswerCheck.Where where = AnswerCheck.resolve(context, e);
        Layer layer = where.layer;
        if (layer == null) {
            return null;
        }
        if (where.quantity == AnswerCheck.Quantity.PARAMS) {
            return "parameters: " + layer.paramFormula();
        }
        if (where.quantity == AnswerCheck.Quantity.OUTPUT || where.quantity == AnswerCheck.Quantity.AXIS) {
            return windowArithmetic(layer);
        }
        return null;
    }

    /** {@code rows: floor((64 - 5) / 1) + 1 = 60} per spatial axis of a convolution or pooling layer. */
    private static String windowArithmetic(Layer layer) {
        int[] kernel;
        int[] strides;
        int[] dilation;
        Padding padding;
        DataFormat format;
        if (layer instanceof BaseConv<?> conv) {
            kernel = conv.kernelSize();
            strides = conv.strides();
            dilation = conv.dilationRate();
            padding = conv.padding();
            format = conv.dataFormat();
        } else if (layer instanceof BasePooling<?> pool) {
            kernel = pool.poolSize();
            strides = pool.strides();
            dilation = new int[kernel.length];
            java.util.Arrays.fill(dilation, 1);
            padding = pool.padding();
            format = pool.dataFormat();
        } else {
            return null;
        }
        Shape in = layer.inputShape();
        Shape out = layer.outputShape();
        String[] names = kernel.length == 1 ? new String[] {"length"} : new String[] {"rows", "cols", "depth"};
        StringBuilder how = new StringBuilder();
        for (int a = 0; a < kernel.length; a++) {
            int axis = format.firstSpatialAxis() + a;
            int length = in.get(axis);
            int span = dilation[a] * (kernel[a] - 1) + 1;
            how.append(a == 0 ? "" : "\n").append(a < names.length ? names[a] : "axis " + axis).append(": ");
            if (length == Shape.NONE) {
                how.append("None stays None");
            } else if (padding == Padding.VALID) {
                how.append("floor((").append(length).append(" - ").append(span).append(") / ").append(strides[a])
                        .append(") + 1 = ").append(out.get(axis));
            } else {
                how.append("ceil(").append(length).append(" / ").append(strides[a]).append(") = ").append(out.get(axis));
            }
        }
        if (layer instanceof BaseConv<?> conv) {
            how.append("\nchannels: one per filter = ").append(conv.filters());
        }
        return how.toString();
    }

    /**
     * Where checks show their result: the running kernel's display (ShapeLab's or IJava's) or, without a kernel,
     * standard output. Returns the previous one; for tests.
     */
    static Consumer<MimeBundle> output(Consumer<MimeBundle> sink) {
        Consumer<MimeBundle> previous = output;
        output = sink == null ? Exercise::show : sink;
        return previous;
    }

    private static void emit(Verdict verdict) {
        emit(verdict.bundle());
    }

    private static void emit(MimeBundle bundle) {
        try {
            output.accept(bundle);
        } catch (ThreadDeath stop) {
            throw stop;
        } catch (RuntimeException | Error failure) {
            System.out.println(bundle.text());
        }
    }

    /**
     * Through {@code org.shapelab.kernel.ShapeLabDisplay.display}, found by name so that this package does not
     * depend on the kernel's; it prints the text where no kernel runs.
     */
    private static void show(MimeBundle bundle) {
        try {
            Class<?> display = Class.forName("org.shapelab.kernel.ShapeLabDisplay", true,
                    Exercise.class.getClassLoader());
            display.getMethod("display", Object.class).invoke(null, bundle);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException noKernelDisplay) {
            System.out.println(bundle.text());
        }
    }
}
