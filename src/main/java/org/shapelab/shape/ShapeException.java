package org.shapelab.shape;

import java.util.Optional;

/**
 * Every mistake a learner can make with shapes, layers or model files.
 *
 * <p>Jupyter kernels show only an exception's class and message, never its cause, so the message
 * alone is complete: which layer, what it expects (in Keras notation with {@code None}), what it
 * received, what kind of shape each is, and one concrete fix. The parts are also kept as fields so
 * that renderers can lay them out side by side.
 */
public class ShapeException extends RuntimeException {

    private final String layer;
    private final String loss;
    private final String expected;
    private final Shape received;
    private final String problem;
    private final String fix;
    private final String keras;

    /** Columns at which {@link #getMessage()} wraps its lines; 0 leaves them whole (the default). */
    private static volatile int messageWidth;

    /** A problem that is not tied to one layer's input, e.g. a bad argument or a malformed file. */
    public ShapeException(String message) {
        this(new Builder(null, false).problem(message), message);
    }

    /** A problem not tied to one input shape, with what Keras 3 says about it (see {@link Builder#keras}). */
    public ShapeException(String message, String kerasMessage) {
        this(new Builder(null, false).problem(message).keras(kerasMessage), message + "\n  Keras 3:  " + kerasMessage);
    }

    private ShapeException(Builder b) {
        this(b, compose(b));
    }

    private ShapeException(Builder b, String message) {
        super(message);
        this.layer = b.isLoss ? null : b.layer;
        this.loss = b.isLoss ? b.layer : null;
        this.expected = b.expected;
        this.received = b.received;
        this.problem = b.problem;
        this.fix = b.fix;
        this.keras = b.keras;
    }

    /**
     * Wraps every message at {@code columns} from now on (0: never). Notebook front ends wrap a traceback's long
     * lines anywhere, even inside a word ("channel s"), or cut them off at the right edge; a kernel sets a width
     * that fits the output area, so lines break between words and continue under their label.
     */
    public static void wrapMessagesAt(int columns) {
        messageWidth = Math.max(0, columns);
    }

    /** The message with its lines whole, whatever {@link #wrapMessagesAt(int)} set: for renderers that lay it out. */
    public String unwrappedMessage() {
        return super.getMessage();
    }

    /** The message, wrapped at the width set by {@link #wrapMessagesAt(int)}. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        int width = messageWidth;
        return width > 0 && message != null ? MessageWrap.wrap(message, width) : message;
    }

    /** Starts a message about the layer described as e.g. {@code "conv2d" (Conv2D)}. */
    public static Builder at(String layerDescription) {
        return new Builder(layerDescription, false);
    }

    /** Starts a message about a loss and the labels it was given, e.g. {@code categorical_crossentropy}. */
    public static Builder atLoss(String lossName) {
        return new Builder(lossName, true);
    }

    /** The loss, e.g. {@code categorical_crossentropy}, if the problem belongs to one (labels, not layers). */
    public Optional<String> loss() {
        return Optional.ofNullable(loss);
    }

    /** The layer, e.g. {@code "conv2d" (Conv2D)}, if the problem belongs to one. */
    public Optional<String> layer() {
        return Optional.ofNullable(layer);
    }

    /** What the layer expects, in Keras notation, e.g. {@code (None, rows, cols, channels)}. */
    public Optional<String> expected() {
        return Optional.ofNullable(expected);
    }

    /** The shape that was received. */
    public Optional<Shape> received() {
        return Optional.ofNullable(received);
    }

    /** What is wrong, in one or two sentences. */
    public String problem() {
        return problem;
    }

    /** One concrete change that makes it work. */
    public Optional<String> fix() {
        return Optional.ofNullable(fix);
    }

    /** What Keras 3 itself says about the same mistake, word for word, where ShapeLab knows it. */
    public Optional<String> kerasMessage() {
        return Optional.ofNullable(keras);
    }

    /**
     * None: a ShapeException is the learner's mistake explained, not a fault in the program, and its message is
     * complete. IJava and JJava print the stack trace JShell hands them under the message (seven lines of ShapeLab's
     * own methods); without one, every kernel shows the explanation alone. A developer who wants it back runs with
     * {@code -Dshapelab.stackTraces=true}.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return Boolean.getBoolean("shapelab.stackTraces") ? super.fillInStackTrace() : this;
    }

    private static String compose(Builder b) {
        StringBuilder text = new StringBuilder();
        text.append(b.isLoss ? "Loss " : "Layer ").append(b.layer).append(": ").append(b.problem);
        java.util.Set<Shape.Kind> kinds = java.util.EnumSet.noneOf(Shape.Kind.class);
        // a summary shape with a fixed batch, (32, 10, 8), must not be footnoted "shown as None"
        boolean fixedBatch = b.expected != null && b.expectedKind == Shape.Kind.SUMMARY
                && b.expected.matches("^\\(\\d.*") || b.received != null
                && b.received.kind() == Shape.Kind.SUMMARY && b.received.batchSize() != Shape.NONE;
        if (b.expected != null) {
            text.append("\n  expected: ").append(b.expected);
            if (b.expectedKind != null) {
                text.append("  <- ").append(b.expectedKind.label());
                kinds.add(b.expectedKind);
            }
        }
        if (b.received != null) {
            text.append("\n  received: ").append(b.received).append("  <- ").append(b.received.kind().label());
            if (b.receivedFrom != null) {
                text.append(" of ").append(b.receivedFrom);
            }
            kinds.add(b.received.kind());
        }
        if (b.note != null) {
            text.append("\n  note:     ").append(b.note);
        }
        if (b.fix != null) {
            text.append("\n  fix:      ").append(b.fix);
        }
        if (b.keras != null) {
            text.append("\n  Keras 3:  ").append(b.keras);
        }
        for (Shape.Kind kind : kinds) {
            String meaning = kind == Shape.Kind.SUMMARY && fixedBatch ? "batch axis first: None when any batch size"
                    + " fits, the number itself when the model fixes the batch size (Input(batch_size=...), which"
                    + " stateful layers need)" : kind.meaning();
            text.append("\n  (").append(kind.label()).append(": ").append(meaning).append(".)");
        }
        return text.toString();
    }

    /** Collects the parts of a layer's shape error. */
    public static final class Builder {
        private final String layer;
        private final boolean isLoss;
        private String expected;
        private Shape.Kind expectedKind;
        private Shape received;
        private String receivedFrom;
        private String problem = "cannot use this input.";
        private String note;
        private String fix;
        private String keras;

        private Builder(String layer, boolean isLoss) {
            this.layer = layer;
            this.isLoss = isLoss;
        }

        /** What the layer needs, in Keras notation, and which kind of shape that notation is. */
        public Builder expected(String notation, Shape.Kind kind) {
            this.expected = notation;
            this.expectedKind = kind;
            return this;
        }

        /** The shape that arrived. */
        public Builder received(Shape shape) {
            this.received = shape;
            return this;
        }

        /** Where the received shape came from, e.g. "the output of layer max_pooling2d". */
        public Builder receivedFrom(String origin) {
            this.receivedFrom = origin;
            return this;
        }

        /** What is wrong. */
        public Builder problem(String sentence) {
            this.problem = sentence;
            return this;
        }

        /** A hint that helps understand the problem, e.g. that the data looks channels_first. */
        public Builder note(String sentence) {
            this.note = sentence;
            return this;
        }

        /** The concrete change that makes it work. */
        public Builder fix(String sentence) {
            this.fix = sentence;
            return this;
        }

        /**
         * What Keras 3 raises for the same mistake (its exception type and message), so that a learner who meets
         * it in Python recognises it; the sentences are checked against real Keras 3 (keras3-errors.json).
         */
        public Builder keras(String message) {
            this.keras = message;
            return this;
        }

        public ShapeException build() {
            return new ShapeException(this);
        }
    }
}
