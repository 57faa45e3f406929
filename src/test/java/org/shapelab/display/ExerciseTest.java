package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.shapelab.shape.Shape.NONE;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.GRU;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Bidirectional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

class ExerciseTest {

    private final List<MimeBundle> shown = new ArrayList<>();
    private Consumer<MimeBundle> previous;

    @BeforeEach
    void capture() {
        previous = Exercise.output(shown::add);
    }

    @AfterEach
    void restore() {
        Exercise.output(previous);
    }

    /** The verdict for an answer, after checking that nothing it says gives the expected answer away. */
    private static Verdict verdict(Object yours, Object expected, Object context) {
        Verdict verdict = Exercise.verdict("Exercise", yours, expected, context, "");
        if (!verdict.isRight()) {
            String said = verdict.text().replace("(you said " + (yours instanceof Model model
                    ? ModelCheck.describe(model) : Answer.of(yours).text) + ")", "");
            String answer = expected instanceof Model model ? ModelCheck.describe(model) : Answer.of(expected).text;
            assertFalse(said.matches("(?s).*(^|[^0-9])" + java.util.regex.Pattern.quote(answer) + "([^0-9]|$).*"),
                    "the hint gives the answer " + answer + " away: " + verdict.text());
        }
        return verdict;
    }

    private static Mistake mistake(Object yours, Object expected, Object context) {
        return verdict(yours, expected, context).mistake();
    }

    private static Layer conv2dOn28() {
        return Sequential.input(28, 28, 1).conv2d(32, 3).layers().get(0);   // (None, 26, 26, 32), 320 params
    }

    // ---- answers and notations ----

    @Test
    void kerasNotationsOfOneShapeAreTheSameAnswer() {
        assertTrue(Exercise.matches("[None, 30, 32]", "(None, 30, 32)"));
        assertTrue(Exercise.matches("(None,10)", "(None, 10)"));
        assertTrue(Exercise.matches("(10)", "(10,)"));
        assertTrue(Exercise.matches(1875L, 1875));
        assertTrue(Exercise.matches("TensorShape([None, 30, 32])", Shape.summary(NONE, 30, 32)));
        assertTrue(Exercise.matches("[(None, 10)]", "(None, 10)"));
        assertTrue(Exercise.matches("None, 30, 32", "(None, 30, 32)"));
        assertTrue(Exercise.matches(new long[] {1, 12, 12, 1}, "(1, 12, 12, 1)"));
        assertTrue(Exercise.matches(java.util.Arrays.asList(null, 10), "(None, 10)"));
        assertTrue(Exercise.matches("7200", 7200L));
        assertTrue(Exercise.matches("predict gave (1, 2)", "predict gave (1,2)"));
        assertFalse(Exercise.matches("(None, 30, 32)", "(None, 32, 30)"));
        assertFalse(Exercise.matches(1874, 1875));
        assertFalse(Exercise.matches("(10)", 10));
        assertFalse(Exercise.matches("(None, 10)", Shape.sample(10)));
    }

    @Test
    void theCheckPrintsRightOrNotYetAsItAlwaysDid() {
        Exercise.check("Exercise 1", "(None, 60, 60, 16)", Shape.summary(NONE, 60, 60, 16), "the hint");
        Exercise.check("Exercise 2", "sparse", "sparse_categorical_crossentropy", "one class number per sample.");
        assertEquals("Exercise 1: right, (None, 60, 60, 16)", shown.get(0).text());
        assertEquals("Exercise 2: not yet (you said sparse). Hint: one class number per sample.", shown.get(1).text());
    }

    @Test
    void aPlaceholderIsNoAnswerYet() {
        assertEquals(Mistake.NO_ANSWER, mistake("?", "(None, 10)", null));
        assertEquals(Mistake.NO_ANSWER, mistake(0L, 1216L, null));
        assertEquals(Mistake.NO_ANSWER, mistake(new long[0], "(1, 12, 12, 1)", null));
        assertEquals(Mistake.NO_ANSWER, mistake(null, 3, null));
    }

    @Test
    void aShapeThatCannotBeReadSaysWhichPart() {
        Verdict verdict = verdict("(None, 30 30, 32)", "(None, 30, 30, 32)", null);
        assertEquals(Mistake.UNREADABLE, verdict.mistake());
        assertTrue(verdict.text().contains("\"30 30\" is not a size"), verdict.text());
        assertEquals(Mistake.UNREADABLE, mistake("(None, , 32)", "(None, 30, 32)", null));
    }

    @Test
    void aNumberForAShapeAndAShapeForANumber() {
        assertEquals(Mistake.NUMBER_FOR_SHAPE, mistake(7200, "(None, 7200)", null));
        Verdict whole = verdict("(None, 7200)", 7200, null);
        assertEquals(Mistake.SHAPE_FOR_NUMBER, whole.mistake());
        assertTrue(whole.text().contains("the size your shape ends with"), whole.text());
        Verdict product = verdict("(15, 15, 32)", 7200, null);
        assertTrue(product.text().contains("multiply its sizes"), product.text());
        assertFalse(verdict("(15, 15, 31)", 7200, null).text().contains("multiply"));
    }

    // ---- the kinds of shape ----

    @Test
    void theBatchAxisForgotten() {
        Verdict summary = verdict("(26, 26, 32)", Shape.summary(NONE, 26, 26, 32), null);
        assertEquals(List.of(Mistake.BATCH_FORGOTTEN), summary.mistakes());
        assertTrue(summary.text().contains("a summary shape starts with None"), summary.text());
        Verdict array = verdict("(5, 3)", Shape.array(64, 5, 3), null);
        assertEquals(Mistake.BATCH_FORGOTTEN, array.mistake());
        assertTrue(array.text().contains("with its real size"), array.text());
        // a sample shape given for a summary shape, written as text with its None
        assertEquals(Mistake.BATCH_FORGOTTEN, mistake("(10,)", "(None, 10)", null));
        // the batch there, another axis missing: not the batch
        assertTrue(verdict("(None, 26, 26)", "(None, 26, 26, 32)", null).mistake() != Mistake.BATCH_FORGOTTEN);
    }

    @Test
    void aBatchAxisAddedToADeclaredSampleShape() {
        Verdict verdict = verdict("(None, 10)", Shape.sample(10), null);
        assertEquals(Mistake.BATCH_ADDED, verdict.mistake());
        assertTrue(verdict.text().contains("leaves the batch axis out"), verdict.text());
    }

    @Test
    void noneForARealBatchAndANumberForTheSummarysNone() {
        assertEquals(Mistake.NONE_FOR_BATCH_SIZE, mistake("(None, 5, 3)", Shape.array(64, 5, 3), null));
        assertEquals(Mistake.NONE_FOR_BATCH_SIZE, mistake("(None, 2)", "(50, 2)", null));
        assertEquals(Mistake.BATCH_SIZE_FOR_NONE, mistake("(32, 10)", Shape.summary(NONE, 10), null));
    }

    // ---- axes ----

    @Test
    void theChannelAxisForgotten() {
        Verdict verdict = verdict("(None, 26, 26)", "(None, 26, 26, 32)", null);
        assertEquals(Mistake.CHANNEL_FORGOTTEN, verdict.mistake());
        Verdict conv = verdict("(None, 26, 26)", conv2dOn28().outputShape(), conv2dOn28());
        assertTrue(conv.text().contains("one channel per filter"), conv.text());
        // a grayscale input written without its axis of 1
        Model model = Sequential.input(28, 28, 1).conv2d(8, 3);
        assertEquals(Mistake.CHANNEL_FORGOTTEN, mistake("(None, 28, 28)", model.inputShapes().get(0), model));
        // both the batch and the channels
        assertEquals(List.of(Mistake.BATCH_FORGOTTEN, Mistake.CHANNEL_FORGOTTEN),
                verdict("(26, 26)", Shape.summary(NONE, 26, 26, 32), null).mistakes());
    }

    @Test
    void channelsFirstAndLastSwapped() {
        Verdict first = verdict("(None, 32, 26, 26)", "(None, 26, 26, 32)", null);
        assertEquals(Mistake.CHANNELS_SWAPPED, first.mistake());
        assertTrue(first.text().contains("channels_last"), first.text());
        Layer channelsFirst = Sequential.input(1, 28, 28).add(new Conv2D(32, 3).dataFormat("channels_first"))
                .layers().get(0);
        Verdict last = verdict("(None, 26, 26, 32)", channelsFirst.outputShape(), channelsFirst);
        assertEquals(Mistake.CHANNELS_SWAPPED, last.mistake());
        assertTrue(last.text().contains("this layer is channels_first"), last.text());
        Layer lstm = Sequential.input(50, 10).add(new LSTM(32).returnSequences(true)).layers().get(0);
        assertTrue(verdict("(None, 32, 50)", lstm.outputShape(), lstm).text().contains("time steps and the features"));
        // other orders are not called a swap of the channels
        assertEquals(Mistake.AXES_ORDER, mistake("(None, 26, 32, 26)", "(None, 26, 26, 32)", null));
    }

    @Test
    void otherAxesAreNamed() {
        Verdict verdict = verdict("(None, 26, 26, 16)", conv2dOn28().outputShape(), conv2dOn28());
        assertEquals(Mistake.AXES_DIFFER, verdict.mistake());
        assertTrue(verdict.text().contains("axis 3 (channels) is not"), verdict.text());
        assertEquals(Mistake.RANK, mistake("(None, 1, 26, 26, 32)", "(None, 26, 26, 32)", null));
    }

    // ---- windows ----

    @Test
    void validPaddingsShrinkForgotten() {
        Verdict verdict = verdict("(None, 28, 28, 32)", conv2dOn28().outputShape(), conv2dOn28());
        assertEquals(List.of(Mistake.VALID_SHRINK_FORGOTTEN), verdict.mistakes());
        assertTrue(verdict.text().contains("3x3 kernel must fit inside the input"), verdict.text());
        // without the layer, from the two answers alone
        assertEquals(Mistake.VALID_SHRINK_FORGOTTEN, mistake("(None, 28, 28, 32)", "(None, 26, 26, 32)", null));
        // with the batch forgotten too: both named, the batch first
        assertEquals(List.of(Mistake.BATCH_FORGOTTEN, Mistake.VALID_SHRINK_FORGOTTEN),
                verdict("(28, 28, 32)", conv2dOn28().outputShape(), conv2dOn28()).mistakes());
        // a "same" layer keeps the size: then 28 is right, not the shrink
        Layer same = Sequential.input(28, 28, 1).add(new Conv2D(32, 3).padding("same")).layers().get(0);
        assertTrue(verdict("(None, 28, 28, 32)", same.outputShape(), same).isRight());
    }

    @Test
    void windowOffByOneStridesAndDilation() {
        assertEquals(Mistake.WINDOW_OFF_BY_ONE, mistake("(None, 25, 25, 32)", conv2dOn28().outputShape(),
                conv2dOn28()));
        Model strided = Sequential.input(1000, 2).add(new Conv1D(4, 5).strides(2));      // (None, 498, 4)
        assertEquals(Mistake.STRIDES_FORGOTTEN, mistake("(None, 996, 4)", strided.outputShapes().get(0), strided));
        assertEquals(Mistake.VALID_SHRINK_FORGOTTEN, mistake("(None, 500, 4)", strided.outputShapes().get(0),
                strided));
        assertEquals(Mistake.WINDOW_OFF_BY_ONE, mistake("(None, 497, 4)", strided.outputShapes().get(0), strided));
        Sequential dilated = Sequential.input(1000, 2).add(new Conv1D(8, 3).dilationRate(3));   // length 994
        Verdict verdict = verdict(998, dilated.outputShape().get(1), dilated);
        assertEquals(Mistake.DILATION_FORGOTTEN, verdict.mistake());
        assertTrue(verdict.text().contains("dilation_rate 3"), verdict.text());
    }

    @Test
    void theFiltersAreTheChannels() {
        assertEquals(Mistake.FILTERS_NOT_CHANNELS, mistake("(None, 26, 26, 1)", conv2dOn28().outputShape(),
                conv2dOn28()));
        // and both mistakes at once
        assertEquals(List.of(Mistake.VALID_SHRINK_FORGOTTEN, Mistake.FILTERS_NOT_CHANNELS),
                verdict("(None, 28, 28, 1)", conv2dOn28().outputShape(), conv2dOn28()).mistakes());
    }

    @Test
    void poolingForgottenOrCountedAsAStrideOneWindow() {
        Layer pool = Sequential.input(26, 26, 32).maxPooling2d(2).layers().get(0);       // (None, 13, 13, 32)
        assertEquals(Mistake.POOLING_FORGOTTEN, mistake("(None, 26, 26, 32)", pool.outputShape(), pool));
        assertEquals(Mistake.POOLING_STRIDES, mistake("(None, 25, 25, 32)", pool.outputShape(), pool));
        // across a model: the values Flatten outputs
        Sequential model = Sequential.input(32, 32, 1).conv2d(32, 3, "relu").maxPooling2d(2).flatten()
                .dense(10, "softmax");
        long flat = model.layers().get(2).outputShape().get(1);                           // 15 * 15 * 32
        assertEquals(Mistake.POOLING_FORGOTTEN, mistake(30 * 30 * 32, flat, model));
        assertEquals(Mistake.VALID_SHRINK_FORGOTTEN, mistake(16 * 16 * 32, flat, model));
        assertEquals(Mistake.CHANNEL_FORGOTTEN, mistake(15 * 15, flat, model));
        Sequential lenet = Sequential.input(28, 28, 1).conv2d(6, 5, "relu").maxPooling2d(2).conv2d(16, 5, "relu")
                .maxPooling2d(2).flatten();
        assertEquals(Mistake.POOLING_FORGOTTEN, mistake(20 * 20 * 16, lenet.outputShape().get(1), lenet));
        assertEquals(Mistake.VALID_SHRINK_FORGOTTEN, mistake(7 * 7 * 16, lenet.outputShape().get(1), lenet));
        assertEquals(null, mistake(255, lenet.outputShape().get(1), lenet));
    }

    // ---- recurrent and dense layers ----

    @Test
    void returnSequencesAndUnits() {
        Sequential sequences = Sequential.input(50, 10).add(new LSTM(32).returnSequences(true));
        Verdict dropped = verdict("(None, 32)", sequences.outputShape(), sequences);
        assertEquals(Mistake.RETURN_SEQUENCES, dropped.mistake());
        assertTrue(dropped.text().contains("one vector per time step"), dropped.text());
        Sequential last = Sequential.input(50, 10).lstm(32);
        assertEquals(Mistake.RETURN_SEQUENCES, mistake("(None, 50, 32)", last.outputShape(), last));
        assertEquals(Mistake.UNITS_NOT_FEATURES, mistake("(None, 50, 10)", sequences.outputShape(), sequences));
    }

    @Test
    void denseActsOnTheLastAxis() {
        Sequential model = Sequential.input(7, 3).dense(16);
        assertEquals(Mistake.DENSE_LAST_AXIS, mistake("(None, 16)", model.outputShape(), model));
        assertEquals(Mistake.UNITS_NOT_FEATURES, mistake("(None, 7, 3)", model.outputShape(), model));
        assertEquals(Mistake.DENSE_LAST_AXIS, mistake(7 * 3 * 16 + 16, model.countParams(), model));
    }

    // ---- parameter counts ----

    @Test
    void theBiasLeftOut() {
        Verdict conv = verdict(288, conv2dOn28().countParams(), conv2dOn28());
        assertEquals(Mistake.BIAS_FORGOTTEN, conv.mistake());
        assertTrue(conv.text().contains("every filter has one bias"), conv.text());
        Sequential dense = Sequential.input(20).dense(64);
        assertEquals(Mistake.BIAS_FORGOTTEN, mistake(1280, dense.countParams(), dense));
        // from the two numbers alone: hedged, since the check does not know it counts parameters
        Verdict alone = verdict(288, 320, null);
        assertEquals(Mistake.BIAS_FORGOTTEN, alone.mistake());
        assertTrue(alone.text().startsWith("Exercise: not yet (you said 288).\n  If this counts parameters"),
                alone.text());
        // a model of several layers: all its biases
        Sequential two = Sequential.input(20).dense(64).dense(10);
        assertEquals(Mistake.BIAS_FORGOTTEN, mistake(20 * 64 + 64 * 10, two.countParams(), two));
        assertEquals(null, mistake(20 * 64 + 64 * 10 + 1, two.countParams(), two));
    }

    @Test
    void theGatesAndTheRecurrentKernel() {
        Sequential lstm = Sequential.input(50, 10).lstm(32);                    // 4 * (10*32 + 32*32 + 32) = 5504
        Verdict gates = verdict(1376, lstm.countParams(), lstm);
        assertEquals(Mistake.GATES_FORGOTTEN, gates.mistake());
        assertTrue(gates.text().contains("an LSTM has 4 gates"), gates.text());
        assertEquals(Mistake.RECURRENT_KERNEL_FORGOTTEN, mistake(4 * (10 * 32 + 32), lstm.countParams(), lstm));
        assertEquals(Mistake.BIAS_FORGOTTEN, mistake(4 * (10 * 32 + 32 * 32), lstm.countParams(), lstm));
        Sequential gru = Sequential.input(50, 10).add(new GRU(8));
        Verdict gru1 = verdict(gru.countParams() / 3, gru.countParams(), gru);
        assertEquals(Mistake.GATES_FORGOTTEN, gru1.mistake());
        assertTrue(gru1.text().contains("a GRU has 3 gates"), gru1.text());
        Sequential both = Sequential.input(50, 10).add(new Bidirectional(new LSTM(8)));
        assertEquals(Mistake.ONE_DIRECTION, mistake(both.countParams() / 2, both.countParams(), both));
        // without the layer: a factor of 4, hedged
        assertTrue(verdict(1376, 5504, null).text().contains("If this counts an LSTM's parameters"));
    }

    @Test
    void aConvolutionsInputChannelsAndItsFilters() {
        Sequential conv = Sequential.input(64, 64, 3).conv2d(16, 5);             // 5*5*3*16 + 16 = 1216
        assertEquals(Mistake.INPUT_CHANNELS_FORGOTTEN, mistake(5 * 5 * 16 + 16, conv.countParams(), conv));
        assertEquals(List.of(Mistake.INPUT_CHANNELS_FORGOTTEN, Mistake.BIAS_FORGOTTEN),
                verdict(5 * 5 * 16, conv.countParams(), conv).mistakes());
        assertEquals(Mistake.ONE_FILTER, mistake(5 * 5 * 3 + 1, conv.countParams(), conv));
        assertEquals(Mistake.BIAS_FORGOTTEN, mistake(1200, conv.countParams(), conv));
    }

    // ---- models ----

    @Test
    void sameModelIsRight() {
        Verdict verdict = verdict(Sequential.input(64, 64, 1).conv2d(16, 3), Sequential.input(64, 64, 1).conv2d(16, 3),
                null);
        assertTrue(verdict.isRight(), verdict.text());
        assertEquals("Exercise: right, (None, 64, 64, 1) -> (None, 62, 62, 16), one layer, 160 params", verdict.text());
    }

    @Test
    void aModelThatDoesNotBuildAndWhatReachedItsFirstLayer() {
        Supplier<Sequential> noChannel = () -> Sequential.input(64, 64).conv2d(16, 3);
        Verdict verdict = verdict(noChannel, Sequential.input(64, 64, 1).conv2d(16, 3), null);
        assertEquals(List.of(Mistake.MODEL_NOT_BUILT, Mistake.CHANNEL_FORGOTTEN), verdict.mistakes());
        assertTrue(verdict.text().contains("Your model does not build yet: Layer \"conv2d\" (Conv2D)"), verdict.text());
        assertTrue(verdict.text().contains("even a grayscale image has a channel axis"), verdict.text());
        assertFalse(verdict.text().contains("input(64, 64, 1)"), "the error's fix is the answer: " + verdict.text());
        Supplier<Sequential> nothing = () -> null;
        assertEquals(Mistake.NO_ANSWER, mistake(nothing, Sequential.input(3).dense(1), null));
    }

    @Test
    void theInputAndAnAxisKeptNone() {
        Verdict rgb = verdict(Sequential.input(64, 64, 3).conv2d(16, 3), Sequential.input(64, 64, 1).conv2d(16, 3),
                null);
        assertEquals(Mistake.INPUT_SHAPE, rgb.mistake());
        assertTrue(rgb.text().contains("axis 3 (channels) differs"), rgb.text());
        Verdict fixed = verdict(Sequential.input(10, 4).flatten().dense(3),
                Sequential.input(NONE, 4).globalAveragePooling1d().dense(3), null);
        assertEquals(Mistake.VARIABLE_LENGTH_LOST, fixed.mistake());
        assertTrue(fixed.text().contains("axis 1 (length) has a size, but the exercise keeps it None"),
                fixed.text());
    }

    @Test
    void aSpecOfWhatGoesInAndOutAcceptsAnyLayersBetween() {
        String spec = "(None, None, 4) -> (None, 3)";
        assertTrue(verdict(Sequential.input(NONE, 4).globalAveragePooling1d().dense(3), spec, null).isRight());
        assertTrue(verdict(Sequential.input(NONE, 4).lstm(8).dense(3), spec, null).isRight());
        Verdict fixedLength = verdict(Sequential.input(10, 4).flatten().dense(3), spec, null);
        assertEquals(Mistake.VARIABLE_LENGTH_LOST, fixedLength.mistake());
        assertTrue(fixedLength.text().contains("The input is (None, 10, 4): axis 1 (timesteps) has a size"),
                fixedLength.text());
        Verdict out = verdict(Sequential.input(NONE, 4).lstm(8).dense(2), spec, null);
        assertEquals(Mistake.OUTPUT_SHAPE, out.mistake());
        Supplier<Sequential> broken = () -> Sequential.input(NONE, 4).flatten().dense(3);
        assertEquals(Mistake.MODEL_NOT_BUILT, mistake(broken, spec, null));
        // the output shape alone
        assertTrue(verdict(Sequential.input(10, 4).flatten().dense(3), "(None, 3)", null).isRight());
    }

    @Test
    void theFirstLayerThatDiffersIsNamedWithHow() {
        Sequential intended = Sequential.input(64, 64, 1).conv2d(16, 3).flatten().dense(2);
        Verdict padding = verdict(Sequential.input(64, 64, 1).add(new Conv2D(16, 3).padding("same")).flatten()
                .dense(2), intended, null);
        assertEquals(List.of(Mistake.LAYER_SHAPE, Mistake.VALID_SHRINK_FORGOTTEN), padding.mistakes());
        assertTrue(padding.text().contains("Layer 1, \"conv2d\" (Conv2D) outputs (None, 64, 64, 16), not the intended"
                + " shape: axis 1 (rows) and axis 2 (cols) differ."), padding.text());
        assertTrue(padding.text().contains("Option padding: \"same\" here, \"valid\" in the intended model."),
                padding.text());

        Verdict missing = verdict(Sequential.input(64, 64, 1).conv2d(16, 3).flatten(), intended, null);
        assertEquals(Mistake.LAYER_MISSING, missing.mistake());
        assertTrue(missing.text().contains("stops after layer 2, \"flatten\" (Flatten); the intended model goes on"
                + " with a Dense (layer 3)"), missing.text());
        Verdict extra = verdict(Sequential.input(64, 64, 1).conv2d(16, 3).flatten().dense(2).dense(2), intended, null);
        assertEquals(Mistake.LAYER_EXTRA, extra.mistake());
        assertTrue(extra.text().contains("layer 4, \"dense_1\" (Dense), is one layer too many"), extra.text());

        Verdict kind = verdict(Sequential.input(64, 64, 1).conv2d(16, 3).globalMaxPooling2d().dense(2), intended, null);
        assertEquals(Mistake.LAYER_CLASS, kind.mistake());
        assertTrue(kind.text().contains("Layer 2, \"global_max_pooling2d\" (GlobalMaxPooling2D): the intended model"
                + " has a Flatten here."), kind.text());

        Verdict activation = verdict(Sequential.input(10).dense(3, "relu"), Sequential.input(10).dense(3), null);
        assertEquals(Mistake.LAYER_OPTION, activation.mistake());
        assertTrue(activation.text().contains("Option activation: \"relu\" here, \"linear\" in the intended model."));

        Verdict bias = verdict(Sequential.input(10).add(new Dense(3).useBias(false)), Sequential.input(10).dense(3),
                null);
        assertEquals(Mistake.LAYER_PARAMS, bias.mistake());
        assertTrue(bias.text().contains("Option use_bias (useBias(...)): False here, True in the intended model."),
                bias.text());

        Verdict sequences = verdict(Sequential.input(10, 4).lstm(8, true).lstm(4, true),
                Sequential.input(10, 4).lstm(8, true).lstm(4), null);
        assertEquals(List.of(Mistake.LAYER_SHAPE, Mistake.RETURN_SEQUENCES), sequences.mistakes());
        assertTrue(sequences.text().contains("Layer 2, \"lstm_1\" (LSTM) outputs (None, 10, 4)"), sequences.text());
    }

    @Test
    void functionalModelsAreComparedLayerByLayerToo() {
        Input x = Input.shape(10);
        Model yours = Model.of(x, new Dense(2).apply(new Dense(4).apply(x)));
        Input x2 = Input.shape(10);
        Model intended = Model.of(x2, new Dense(2).apply(new Dense(8).apply(x2)));
        Verdict verdict = verdict(yours, intended, null);
        assertEquals(Mistake.LAYER_SHAPE, verdict.mistake());
        assertTrue(verdict.text().contains("Layer 1, \"dense\" (Dense) outputs (None, 4), not the intended shape:"
                + " axis 1 (features) differs. Option units: 4 here, 8 in the intended model."), verdict.text());
        Input x3 = Input.shape(10);
        assertTrue(verdict(Model.of(x3, new Dense(2).apply(new Dense(8).apply(x3))), intended, null).isRight());
    }

    @Test
    void checkModelAndCheckOnAModelShowTheSameVerdict() {
        Sequential intended = Sequential.input(64, 64, 1).conv2d(16, 3);
        Exercise.checkModel(Sequential.input(64, 64, 3).conv2d(16, 3), intended);
        Exercise.checkModel("Exercise 1", Sequential.input(64, 64, 3).conv2d(16, 3), intended);
        Exercise.check("Exercise 1", Sequential.input(64, 64, 3).conv2d(16, 3), intended, "");
        assertTrue(shown.get(0).text().startsWith("Your model: not yet"), shown.get(0).text());
        assertEquals(shown.get(1).text(), shown.get(2).text());
        assertTrue(shown.get(1).text().contains("The input is (None, 64, 64, 3)"), shown.get(1).text());
    }

    // ---- rendering ----

    @Test
    void notebooksGetHtmlWithTheHintFolded() {
        Exercise.check("Exercise 1", "(26, 26, 32)", "(None, 26, 26, 32)", "rows <- 28 - 3 + 1");
        MimeBundle bundle = shown.get(0);
        String html = bundle.get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("Exercise 1: not yet"), html);
        assertTrue(html.contains("<li>The batch axis is missing"), html);
        assertTrue(html.contains("<details style=\"margin-top:4px\"><summary style=\"cursor:pointer\">Hint</summary>"),
                html);
        assertTrue(html.contains("rows &lt;- 28 - 3 + 1"), html);
        assertTrue(bundle.text().endsWith("\n  Hint: rows <- 28 - 3 + 1"), bundle.text());
        Exercise.check("Exercise 1", "(None, 26, 26, 32)", "(None, 26, 26, 32)", "");
        assertTrue(shown.get(1).get(MimeBundle.HTML).orElseThrow().contains("Exercise 1: right"));
    }

    @Test
    void withoutAKernelTheCheckPrintsItsText() {
        Exercise.output(null);          // the default: the kernel's display, which prints where none runs
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Exercise.check("Exercise 3", 256L, 256L, "");
        } finally {
            System.setOut(out);
        }
        assertEquals("Exercise 3: right, 256", printed.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void solutionsStayFoldedUntilAskedFor() {
        Exercise.solution("Exercise 9");
        assertTrue(shown.get(0).text().contains("run its check first"), shown.get(0).text());
        Layer conv = conv2dOn28();
        Exercise.check("Exercise 9", "?", conv.outputShape(), conv, "");
        Exercise.check("Exercise 10", "?", conv.countParams(), conv, "");
        assertFalse(shown.get(1).text().contains("26, 26"), "the check alone shows no answer");
        Exercise.solution("Exercise 9");
        Exercise.solution("Exercise 10");
        MimeBundle shape = shown.get(3);
        assertTrue(shape.text().startsWith("Exercise 9, the answer: (None, 26, 26, 32)\n  rows: floor((28 - 3) / 1)"
                + " + 1 = 26"), shape.text());
        assertTrue(shape.get(MimeBundle.HTML).orElseThrow().startsWith("<details"));
        assertTrue(shown.get(4).text().contains("parameters: 3·3·1·32 + 32 = 320"), shown.get(4).text());
        Exercise.checkModel("Exercise 11", Sequential.input(3).dense(1), Sequential.input(3).dense(2));
        Exercise.solution("Exercise 11");
        assertTrue(shown.get(6).text().contains("Total params: 8"), shown.get(6).text());
    }

    @Test
    void oddValuesNeverThrow() {
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };
        Exercise.check(null, broken, "(None, 10)", null);
        Exercise.check("Exercise", "(None, 10)", broken, (String) null);
        Exercise.check("Exercise", new Object[] {1, "x"}, List.of(), (Layer) new Dense(3), "");   // not built
        Supplier<Model> fails = () -> {
            throw new IllegalStateException("boom");
        };
        Exercise.checkModel("Exercise", fails, Sequential.input(3).dense(1));
        Exercise.checkModel("Exercise", Sequential.input(3).dense(1), "(None, 30 30)");
        Exercise.solution(null);
        assertEquals(6, shown.size());
        assertTrue(shown.get(0).text().startsWith("Your answer: not yet"), shown.get(0).text());
        assertTrue(shown.get(3).text().contains("Your model does not build yet: boom"), shown.get(3).text());
        shown.forEach(bundle -> assertTrue(bundle.text() != null && !bundle.text().isEmpty()));
    }
}
