package org.shapelab.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.shapelab.layers.Layer;
import org.shapelab.model.Model;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Compares a model the learner built with the intended one, layer by layer, and names the first difference: the
 * model's inputs (an axis the exercise keeps None, such as variable-length time steps, counts as a difference), a
 * missing or extra layer, another layer class, another output shape (which axis, and the option that causes it),
 * another parameter count, another option. Or, against a spec {@code "(None, None, 4) -> (None, 3)"}, only what
 * goes in and what comes out, whatever the layers between.
 */
final class ModelCheck {

    private static final List<String> NOT_OPTIONS = List.of("name", "trainable", "dtype");

    private ModelCheck() {
    }

    /** Whether a value is something {@link #check} reads as the learner's model. */
    static boolean isModelAnswer(Object yours) {
        return yours instanceof Model || yours instanceof Supplier<?> || yours instanceof Throwable;
    }

    static Verdict check(String exercise, Object yours, Object expected, String hint) {
        Built built = build(yours);
        if (built.problem != null) {
            List<Verdict.Finding> findings = new ArrayList<>(List.of(built.problem));
            if (expected instanceof Model intended && built.failure instanceof ShapeException error) {
                firstLayerInput(error, intended, findings);
            }
            return Verdict.notYet(exercise, built.text, findings, hint);
        }
        Model model = built.model;
        if (model == null) {
            // not a model: read it as a shape, the intended model's output
            if (expected instanceof Model intended) {
                return AnswerCheck.check(exercise, yours, only(intended.outputShapes()), intended, hint);
            }
            return AnswerCheck.check(exercise, yours, expected, null, hint);
        }
        List<Verdict.Finding> findings = new ArrayList<>();
        String right;
        try {
            if (expected instanceof Model intended) {
                compare(model, intended, findings);
                right = describe(intended);
            } else {
                Spec spec = Spec.of(expected);
                compare(model, spec, findings);
                right = spec.text();
            }
        } catch (RuntimeException | StackOverflowError unexpected) {
            findings.clear();
            findings.add(new Verdict.Finding(Mistake.OUTPUT_SHAPE, "ShapeLab could not compare the models ("
                    + unexpected + ")."));
            right = "";
        }
        return findings.isEmpty() ? Verdict.right(exercise, right)
                : Verdict.notYet(exercise, describe(model), findings, hint);
    }

    // ---- the learner's model ----

    private record Built(Model model, Verdict.Finding problem, String text, Throwable failure) {
    }

    /**
     * A model that failed at its first layer: what reached that layer compared with what the intended first layer
     * reads (e.g. a grayscale image without its channel axis).
     */
    private static void firstLayerInput(ShapeException error, Model intended, List<Verdict.Finding> findings) {
        if (intended.layers().isEmpty() || intended.inputShapes().size() != 1 || error.received().isEmpty()
                || error.layer().isEmpty()) {
            return;
        }
        Layer first = intended.layers().get(0);
        Shape received = error.received().get();
        if (!error.layer().get().contains("\"" + first.name() + "\"")
                || Arrays.equals(received.dims(), first.inputShape().dims())) {
            return;
        }
        AnswerCheck.Where where = new AnswerCheck.Where(first, null, -1, AnswerCheck.Quantity.INPUT, -1);
        for (Verdict.Finding finding : AnswerCheck.diagnose(Answer.shape(received.dims(), received.kind()),
                Answer.shape(first.inputShape().dims(), Shape.Kind.SUMMARY), where)) {
            if (finding.mistake() != Mistake.AXES_DIFFER) {
                findings.add(finding);
            }
        }
    }

    private static Built build(Object yours) {
        Object value = yours;
        if (value instanceof Supplier<?> supplier) {
            try {
                value = supplier.get();
            } catch (ThreadDeath stop) {
                throw stop;
            } catch (RuntimeException | Error failure) {
                value = failure;
            }
        }
        if (value instanceof Throwable failure) {
            String whole = failure instanceof org.shapelab.shape.ShapeException shape ? shape.unwrappedMessage()
                    : failure.getMessage();
            String message = whole == null ? failure.toString() : whole.lines().findFirst().orElse("");
            // The error's first line only: its fix would be the exercise's answer.
            return new Built(null, new Verdict.Finding(Mistake.MODEL_NOT_BUILT, "Your model does not build yet: "
                    + message), "a model that does not build", failure);
        }
        if (value == null && yours instanceof Supplier<?>) {
            return new Built(null, new Verdict.Finding(Mistake.NO_ANSWER, "No model yet: the answer cell gives"
                    + " null; build the model there, run it, then run this check again."), "nothing", null);
        }
        return new Built(value instanceof Model model ? model : null, null, null, null);
    }

    // ---- against the intended model ----

    private static void compare(Model yours, Model intended, List<Verdict.Finding> findings) {
        List<Shape> yourInputs = yours.inputShapes();
        List<Shape> inputs = intended.inputShapes();
        if (yourInputs.size() != inputs.size()) {
            findings.add(new Verdict.Finding(Mistake.INPUT_COUNT, "Your model has " + count(yourInputs.size(),
                    "input") + ", the intended one " + count(inputs.size(), "input") + "."));
            return;
        }
        Layer firstReader = intended.layers().isEmpty() ? null : intended.layers().get(0);
        for (int i = 0; i < inputs.size(); i++) {
            if (!Arrays.equals(yourInputs.get(i).dims(), inputs.get(i).dims())) {
                input(yourInputs.get(i), inputs.get(i), inputs.size() == 1 ? "The input" : "Input " + (i + 1),
                        inputs.size() == 1 ? firstReader : null, findings);
                return;
            }
        }
        List<Layer> mine = yours.layers();
        List<Layer> theirs = intended.layers();
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            if (layer(i, mine.get(i), theirs.get(i), findings)) {
                return;
            }
        }
        if (mine.size() < theirs.size()) {
            String after = mine.isEmpty() ? "Your model has no layers yet"
                    : "Your model stops after layer " + mine.size() + ", " + mine.get(mine.size() - 1).describe();
            findings.add(new Verdict.Finding(Mistake.LAYER_MISSING, after + "; the intended model goes on with "
                    + article(theirs.get(mine.size()).kerasClassName()) + " (layer " + (mine.size() + 1) + ")"
                    + (theirs.size() - mine.size() > 1 ? " and " + (theirs.size() - mine.size() - 1) + " more" : "")
                    + "."));
            return;
        }
        if (mine.size() > theirs.size()) {
            findings.add(new Verdict.Finding(Mistake.LAYER_EXTRA, "Your model goes on after the intended one ends:"
                    + " layer " + (theirs.size() + 1) + ", " + mine.get(theirs.size()).describe() + ", is one layer"
                    + " too many" + (mine.size() - theirs.size() > 1 ? " (and the ones after it)" : "") + "."));
            return;
        }
        List<Shape> yourOutputs = yours.outputShapes();
        List<Shape> outputs = intended.outputShapes();
        if (yourOutputs.size() != outputs.size()) {
            findings.add(new Verdict.Finding(Mistake.INPUT_COUNT, "Your model has " + count(yourOutputs.size(),
                    "output") + ", the intended one " + count(outputs.size(), "output") + "."));
        } else if (!yourOutputs.equals(outputs)) {
            findings.add(new Verdict.Finding(Mistake.OUTPUT_SHAPE, "Your model's outputs " + yourOutputs
                    + " differ from the intended model's: check which tensors Model.of(...) returns."));
        }
    }

    /** Layer {@code i}: true if it differs (and the difference is in {@code findings}). */
    private static boolean layer(int i, Layer mine, Layer theirs, List<Verdict.Finding> findings) {
        String which = "Layer " + (i + 1) + ", " + mine.describe();
        if (!mine.kerasClassName().equals(theirs.kerasClassName())) {
            findings.add(new Verdict.Finding(Mistake.LAYER_CLASS, which + ": the intended model has "
                    + article(theirs.kerasClassName()) + " here."));
            return true;
        }
        List<String> options = optionDifferences(mine, theirs);
        String because = options.isEmpty() ? "" : " " + String.join(" ", options);
        if (!mine.inputShapes().equals(theirs.inputShapes())) {
            findings.add(new Verdict.Finding(Mistake.LAYER_INPUT, which + " reads " + shapes(mine.inputShapes())
                    + ", not what the intended layer reads: check which tensor it is applied to." + because));
            return true;
        }
        Shape out = mine.outputShape();
        Shape intendedOut = theirs.outputShape();
        if (!Arrays.equals(out.dims(), intendedOut.dims())) {
            findings.add(new Verdict.Finding(Mistake.LAYER_SHAPE, which + " outputs " + out + ", not the intended"
                    + " shape" + axesDiffering(out, intendedOut, theirs) + "." + because));
            AnswerCheck.Where where = new AnswerCheck.Where(theirs, null, -1, AnswerCheck.Quantity.OUTPUT, -1);
            for (Verdict.Finding finding : AnswerCheck.diagnose(Answer.shape(out.dims(), null),
                    Answer.shape(intendedOut.dims(), Shape.Kind.SUMMARY), where)) {
                if (finding.mistake() != Mistake.AXES_DIFFER) {
                    findings.add(finding);
                }
            }
            return true;
        }
        if (mine.countParams() != theirs.countParams()) {
            findings.add(new Verdict.Finding(Mistake.LAYER_PARAMS, which + " has " + mine.countParams()
                    + " parameters, not as many as the intended layer." + because));
            return true;
        }
        if (!options.isEmpty()) {
            findings.add(new Verdict.Finding(Mistake.LAYER_OPTION, which + ": " + String.join(" ", options)));
            return true;
        }
        return false;
    }

    /** {@code Option padding: "same" here, "valid" in the intended model.}, one per option that differs. */
    private static List<String> optionDifferences(Layer mine, Layer theirs) {
        Map<String, Object> a = mine.getConfig();
        Map<String, Object> b = theirs.getConfig();
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Object> option : b.entrySet()) {
            String key = option.getKey();
            if (NOT_OPTIONS.contains(key) || Objects.equals(a.get(key), option.getValue())) {
                continue;
            }
            String java = javaName(key);
            differences.add("Option " + key + (java.equals(key + "(...)") ? "" : " (" + java + ")") + ": "
                    + python(a.get(key)) + " here, " + python(option.getValue()) + " in the intended model.");
        }
        return differences;
    }

    /** The model input compared: an axis kept None, an axis left out, the sizes. */
    private static void input(Shape mine, Shape intended, String what, Layer reader, List<Verdict.Finding> findings) {
        int[] a = mine.dims();
        int[] b = intended.dims();
        List<String> names = reader == null ? null : AnswerWords.reads(reader, b.length);
        if (names == null && b.length == 3 && b[1] == Shape.NONE) {
            names = List.of("batch", "timesteps", "features");     // a sequence of any length
        }
        if (a.length == b.length) {
            for (int axis = 1; axis < b.length; axis++) {
                if (b[axis] == Shape.NONE && a[axis] != Shape.NONE) {
                    findings.add(new Verdict.Finding(Mistake.VARIABLE_LENGTH_LOST, what + " is " + mine + ": "
                            + AnswerWords.axis(axis, names) + " has a size, but the exercise keeps it None, so that"
                            + " inputs of any length fit. Keep None there and make the layers work for any length."));
                    return;
                }
            }
        }
        findings.add(new Verdict.Finding(Mistake.INPUT_SHAPE, what + " is " + mine + ", not the intended input"
                + axesDiffering(mine, intended, null, names) + "."));
        AnswerCheck.Where where = reader == null ? AnswerCheck.Where.NOWHERE
                : new AnswerCheck.Where(reader, null, -1, AnswerCheck.Quantity.INPUT, -1);
        for (Verdict.Finding finding : AnswerCheck.diagnose(Answer.shape(a, null),
                Answer.shape(b, Shape.Kind.SUMMARY), where)) {
            if (finding.mistake() != Mistake.AXES_DIFFER) {
                findings.add(finding);
            }
        }
    }

    private static String axesDiffering(Shape mine, Shape intended, Layer writer) {
        return axesDiffering(mine, intended, writer, writer == null ? null
                : AnswerWords.writes(writer, intended.rank()));
    }

    /** {@code : axis 3 (channels) differs}, or the axes counted when the ranks differ. */
    private static String axesDiffering(Shape mine, Shape intended, Layer writer, List<String> names) {
        int[] a = mine.dims();
        int[] b = intended.dims();
        if (a.length != b.length) {
            return ": it has " + count(a.length, "axis", "axes") + ", the intended " + b.length;
        }
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (a[i] != b[i]) {
                differing.add(AnswerWords.axis(i, names != null && names.size() == b.length ? names : null));
            }
        }
        return ": " + String.join(" and ", differing) + (differing.size() == 1 ? " differs" : " differ");
    }

    // ---- against a spec: what goes in, what comes out ----

    /** {@code "(None, None, 4) -> (None, 3)"}, or an output shape alone. */
    private record Spec(Answer input, Answer output) {

        static Spec of(Object expected) {
            String text = MimeBundle.plainText(expected);
            int arrow = text.indexOf("->");
            if (!(expected instanceof Shape) && arrow >= 0) {
                return new Spec(Answer.parse(text.substring(0, arrow)), Answer.parse(text.substring(arrow + 2)));
            }
            return new Spec(null, Answer.of(expected));
        }

        String text() {
            return input == null ? output.text : input.text + " -> " + output.text;
        }
    }

    private static void compare(Model yours, Spec spec, List<Verdict.Finding> findings) {
        if (spec.input() != null && spec.input().isShape()) {
            List<Shape> inputs = yours.inputShapes();
            if (inputs.size() != 1) {
                findings.add(new Verdict.Finding(Mistake.INPUT_COUNT, "Your model has " + count(inputs.size(),
                        "input") + "; the exercise asks for one."));
                return;
            }
            int[] wanted = spec.input().dims;
            if (!Arrays.equals(inputs.get(0).dims(), wanted)) {
                Layer reader = yours.layers().isEmpty() ? null : yours.layers().get(0);
                input(inputs.get(0), Shape.summary(wanted), "The input", reader, findings);
                return;
            }
        }
        List<Shape> outputs = yours.outputShapes();
        Answer wanted = spec.output();
        if (outputs.size() != 1) {
            findings.add(new Verdict.Finding(Mistake.INPUT_COUNT, "Your model has " + count(outputs.size(),
                    "output") + "; the exercise asks for one."));
            return;
        }
        Answer out = Answer.shape(outputs.get(0).dims(), null);
        if (!out.sameAs(wanted)) {
            findings.add(new Verdict.Finding(Mistake.OUTPUT_SHAPE, "Your model outputs " + out + ", not the shape"
                    + " the exercise asks for."));
            findings.addAll(AnswerCheck.diagnose(out, wanted, AnswerCheck.Where.NOWHERE));
        }
    }

    // ---- words ----

    /** {@code (None, 64, 64, 1) -> (None, 62, 62, 16), 2 layers, 160 params}. */
    static String describe(Model model) {
        try {
            return shapes(model.inputShapes()) + " -> " + shapes(model.outputShapes()) + ", "
                    + count(model.layers().size(), "layer") + ", " + model.countParams() + " params";
        } catch (RuntimeException notBuilt) {
            return MimeBundle.plainText(model);
        }
    }

    private static Object only(List<Shape> shapes) {
        return shapes.size() == 1 ? shapes.get(0) : shapes.toString();
    }

    private static String shapes(List<Shape> shapes) {
        return Shape.listText(shapes);
    }

    private static String count(int n, String one) {
        return count(n, one, one + "s");
    }

    private static String count(int n, String one, String many) {
        return (n == 1 ? "one" : Integer.toString(n)) + " " + (n == 1 ? one : many);
    }

    private static String article(String className) {
        return ("AEIOU".indexOf(className.charAt(0)) >= 0 ? "an " : "a ") + className;
    }

    /** {@code return_sequences} as the Java option {@code returnSequences(...)}. */
    static String javaName(String kerasKey) {
        StringBuilder java = new StringBuilder();
        boolean upper = false;
        for (char c : kerasKey.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                java.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return java + "(...)";
    }

    /** A config value as Keras prints it: {@code True}, {@code "same"}, {@code (3, 3)}, {@code None}. */
    static String python(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(python(item)));
            return items.size() == 1 ? "(" + items.get(0) + ",)" : "(" + String.join(", ", items) + ")";
        }
        return String.valueOf(value);
    }
}
