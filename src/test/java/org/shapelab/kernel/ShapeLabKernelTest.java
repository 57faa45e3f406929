package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.shapelab.shape.ShapeException;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

/**
 * The embedded kernel's requests, on its JShell, without sockets: what Jupyter's execute, is_complete,
 * complete and interrupt messages reach. One kernel for all tests (JShell takes seconds to start).
 */
class ShapeLabKernelTest {

    private static final List<DisplayData> DISPLAYED = new CopyOnWriteArrayList<>();
    private static ShapeLabKernel kernel;

    @BeforeAll
    static void start() throws Exception {
        kernel = new ShapeLabKernel(List.of(Path.of("kernel-ext/startup.jsh"))) {
            @Override
            public void display(DisplayData data) {
                DISPLAYED.add(data);
            }
        };
        kernel.eval("var model = Sequential.input(28, 28, 1).conv2d(32, 3, \"relu\").maxPooling2d(2).flatten()"
                + ".dense(10, \"softmax\");");
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    private static String text(DisplayData data) {
        return String.valueOf(data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void aModelAsTheCellsValueIsItsShapeTable() throws Exception {
        DisplayData data = kernel.eval("model");
        assertTrue(String.valueOf(data.getData(MIMEType.TEXT_HTML)).contains("Total params: <b>54,410</b>"));
        assertTrue(text(data).startsWith("Model: \"sequential\""), text(data));
    }

    @Test
    void theLastExpressionOfACellIsItsValue() throws Exception {
        assertEquals("6", text(kernel.eval("int a = 2;\nint b = 4;\na + b")));
        assertEquals("null", text(kernel.eval("Object nothing = null;\nnothing")));
        assertEquals("Model: \"sequential\"", text(kernel.eval("model.summary()")).lines().findFirst().orElseThrow());
    }

    @Test
    void declarationsAndStatementsShowNothing() throws Exception {
        assertNull(kernel.eval("int c = 3;"));
        assertNull(kernel.eval("c++;\nvoid hello() { }"));
        assertNull(kernel.eval("System.out.print(\"\")"));
        assertNull(kernel.eval("   \n// only a comment\n"));
    }

    @Test
    void displayShowsValuesMidCell() throws Exception {
        DISPLAYED.clear();
        assertNull(kernel.eval("display(plotModel(model));\ndisplay(\"two\");"));
        assertEquals(2, DISPLAYED.size());
        assertTrue(DISPLAYED.get(0).hasDataForType(MIMEType.IMAGE_SVG));
        assertEquals("two", text(DISPLAYED.get(1)));
    }

    @Test
    void stdoutIsTheCellsStream() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // BaseKernel points System.out at the cell's stream for each execute request; the cell writes through it.
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            kernel.eval("System.out.print(model.summary());");
        } finally {
            System.setOut(original);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("Total params: 54,410"));
    }

    @Test
    void aShapeErrorReachesTheLearnerAsThrownWithTheCompleteMessageAndNoTrace() {
        Exception e = assertThrows(Exception.class, () -> kernel.eval("Sequential.input(28, 28).conv2d(32, 3);"));
        ShapeException shape = assertInstanceOf(ShapeException.class, e);
        List<String> lines = kernel.formatError(e);
        assertTrue(lines.get(0).contains("ShapeException: Layer \"conv2d\" (Conv2D): Conv2D needs 4 axes"), lines.get(0));
        assertEquals(shape.getMessage().lines().count(), lines.size());
        assertTrue(lines.stream().anyMatch(line -> line.contains("fix:      add a channel axis of size 1")), lines.toString());
        assertFalse(lines.stream().anyMatch(line -> line.strip().startsWith("at ")), lines.toString());
    }

    @Test
    void otherExceptionsShowClassMessageAndAShortTrace() {
        Exception e = assertThrows(IllegalStateException.class, () -> kernel.eval(
                "void fail() { throw new IllegalStateException(\"boom\", new java.io.IOException(\"disk\")); }\nfail();"));
        List<String> lines = kernel.formatError(e);
        assertTrue(lines.get(0).contains("java.lang.IllegalStateException: boom"), lines.get(0));
        assertEquals("    at fail(), declared in a cell", lines.get(1));
        assertEquals("    at this cell", lines.get(2));
        assertEquals("Caused by: java.io.IOException: disk", lines.get(3));
        assertEquals(4, lines.size(), lines.toString());
    }

    @Test
    void errorsAreCarriedAsExceptions() throws Exception {
        Exception e = assertThrows(ShapeLabKernel.CellError.class, () -> kernel.eval("void deep() { deep(); }\ndeep();"));
        List<String> lines = kernel.formatError(e);
        assertTrue(lines.get(0).endsWith("java.lang.StackOverflowError" + "\u001B[0m"), lines.get(0));
        assertTrue(lines.size() <= 7, lines.toString());
        assertEquals("2", text(kernel.eval("1 + 1")), "the kernel survives");
    }

    @Test
    void compileErrorsPointAtTheMistake() {
        Exception e = assertThrows(CompilationException.class, () -> kernel.eval("int ok = 1;\nmodel.sumary()"));
        List<String> lines = kernel.formatError(e);
        assertTrue(lines.get(0).contains("CompilationException: cannot find symbol"), lines.toString());
        assertTrue(lines.contains("    model.sumary()"), lines.toString());
        assertTrue(lines.contains("         ^"), lines.toString());
        assertFalse(lines.stream().anyMatch(line -> line.contains("location: class") && line.strip().endsWith("class")));
        assertThrows(CompilationException.class, () -> kernel.eval("int unfinished = "));
    }

    @Test
    void isCompleteTellsTheConsoleWhetherToWaitForMore() {
        assertEquals("complete", kernel.isComplete("int x = 1;"));
        assertEquals("complete", kernel.isComplete("model"));
        assertEquals("complete", kernel.isComplete(""));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("    ", kernel.isComplete("model.dense(\n"));
        assertEquals("invalid", kernel.isComplete("int x = 1; )"));
    }

    @Test
    void completionOffersMembersAndTheRangeToReplace() {
        String code = "int n = 1;\nmodel.summ";
        ReplacementOptions options = kernel.complete(code, code.length());
        // summary() and summary(SummaryStyle): JShell offers the open parenthesis for an overloaded method
        assertEquals(List.of("summary("), options.getReplacements());
        assertEquals(code.length() - "summ".length(), options.getSourceStart());
        assertEquals(code.length(), options.getSourceEnd());

        ReplacementOptions types = kernel.complete("Sequ", 4);
        assertTrue(types.getReplacements().contains("Sequential"), types.getReplacements().toString());
        assertEquals(0, types.getSourceStart());
    }

    @Test
    @Timeout(30)
    void interruptStopsARunningCellAndTheKernelGoesOn() throws Exception {
        System.clearProperty("shapelab.test.spinning");
        Thread interrupter = new Thread(() -> {
            while (System.getProperty("shapelab.test.spinning") == null) {
                Thread.onSpinWait();
            }
            kernel.interrupt();
        });
        interrupter.setDaemon(true);
        interrupter.start();
        Exception e = assertThrows(InterruptedException.class, () -> kernel.eval("long spins = 0;\n"
                + "System.setProperty(\"shapelab.test.spinning\", \"yes\");\nwhile (true) { spins++; }\nint after = 1;"));
        assertEquals(List.of("\u001B[1m\u001B[31mInterruptedException: The cell was interrupted; its remaining"
                + " statements did not run.\u001B[0m"), kernel.formatError(e));
        assertEquals("true", text(kernel.eval("spins >= 0")), "the kernel goes on, with what the cell had set");
        assertThrows(CompilationException.class, () -> kernel.eval("after"), "the rest of the cell did not run");
    }
}
