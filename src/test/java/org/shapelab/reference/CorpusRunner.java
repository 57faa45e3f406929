package org.shapelab.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs cases in child JVMs (a fuzz corpus through {@link CorpusWorker}, or any worker speaking
 * {@link CaseReporter}'s protocol), so that a case that kills its JVM (a native crash) or hangs is reported as that
 * case failing, and the cases after it still run in a new JVM.
 *
 * <pre>java -cp ... org.shapelab.reference.CorpusRunner CORPUS.jsonl [--case ID] [--reproduce "COMMAND"]</pre>
 *
 * Prints each failure with the command that reproduces it, the counts per family, and a closing line
 * {@code fuzz: N passed, N failed}; exits 1 if any case failed.
 */
public final class CorpusRunner {

    /** A case that gives no sign of life for this long is taken as hung (the slowest pass well under a second). */
    static final long CASE_TIMEOUT_SECONDS = 120;

    enum Status { PASS, FAIL, CRASH, HUNG }

    record Result(int index, String id, String family, Status status, String detail) {
    }

    private CorpusRunner() {
    }

    /** Checks every case of the corpus (or only {@code onlyId}) with the given class path for the child JVMs. */
    static List<Result> run(Path corpus, String onlyId, String classpath) throws IOException, InterruptedException {
        return run(CorpusWorker.class, List.of(corpus.toString()), onlyId, classpath);
    }

    /**
     * Runs the cases of {@code worker}, whose main takes {@code workerArgs}, then the index of the first case to run
     * and optionally the one case id to run.
     */
    static List<Result> run(Class<?> worker, List<String> workerArgs, String onlyId, String classpath)
            throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        int next = 0;
        while (true) {
            Worker child = new Worker(worker, workerArgs, next, onlyId, classpath);
            Worker.Outcome outcome = child.drain(results);
            if (outcome.finished()) {
                return results;
            }
            if (outcome.current() == null) {
                throw new IllegalStateException(worker.getSimpleName() + " ended before its first case (exit code "
                        + outcome.exitCode() + "):\n" + outcome.stderrTail());
            }
            String[] begun = outcome.current();
            int index = Integer.parseInt(begun[0]);
            results.add(new Result(index, begun[1], begun[2], outcome.hung() ? Status.HUNG : Status.CRASH,
                    (outcome.hung() ? "no result after " + CASE_TIMEOUT_SECONDS + " s; the JVM was killed"
                            : "the JVM died (exit code " + outcome.exitCode() + ")") + "; its last words: "
                            + outcome.stderrTail().replace("\n", " | ")));
            if (onlyId != null) {
                return results;
            }
            next = index + 1;
        }
    }

    /** One child JVM and what it reported. */
    private static final class Worker {
        record Outcome(boolean finished, String[] current, int exitCode, boolean hung, String stderrTail) {
        }

        private final Process process;
        private final Deque<String> stderrTail = new ArrayDeque<>();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private static final String EOF = "\u0000eof";

        Worker(Class<?> main, List<String> args, int first, String onlyId, String classpath) throws IOException {
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            // A JVM that dies in native code writes hs_err_pid*.log into its working directory by default.
            String errorFile = Path.of(System.getProperty("java.io.tmpdir"), "shapelab-hs_err_%p.log").toString();
            List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:ErrorFile=" + errorFile, "-cp",
                    classpath, main.getName()));
            command.addAll(args);
            command.add(String.valueOf(first));
            if (onlyId != null) {
                command.add(onlyId);
            }
            ProcessBuilder builder = new ProcessBuilder(command);
            // As in the tests: small arrays gain nothing from OpenMP threads spinning against each other.
            builder.environment().putIfAbsent("OMP_NUM_THREADS", "1");
            process = builder.start();
            out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))), "corpus-stdout");
            err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))), "corpus-stderr");
            out.setDaemon(true);
            err.setDaemon(true);
            out.start();
            err.start();
        }

        private final Thread out;
        private final Thread err;

        /**
         * Protocol lines go to the queue; every other line (a library's log on stderr, the JVM's fatal-error report
         * on stdout) to the tail that explains a crash.
         */
        private void pump(BufferedReader reader) {
            try (reader) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith(CaseReporter.MARK)) {
                        lines.add(line.substring(CaseReporter.MARK.length()));
                    } else if (!line.isBlank() && !line.strip().equals("#")) {
                        synchronized (stderrTail) {
                            stderrTail.addLast(line);
                            if (stderrTail.size() > 14) {
                                stderrTail.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException ignored) {
                // The child died; its exit code tells the rest.
            } finally {
                if (Thread.currentThread() == out) {
                    lines.add(EOF);
                }
            }
        }

        Outcome drain(List<Result> results) throws InterruptedException {
            String[] current = null;
            boolean hung = false;
            while (true) {
                String line = lines.poll(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    hung = true;
                    process.destroyForcibly();
                    break;
                }
                if (line.equals(EOF)) {
                    break;
                }
                if (line.equals("END")) {
                    process.waitFor();
                    return new Outcome(true, null, 0, false, "");
                }
                String[] parts = line.split(" ", 4);
                if (parts[0].equals("BEGIN")) {
                    current = new String[] {parts[1], parts[2], parts.length > 3 ? parts[3] : "?"};
                } else if (current != null && parts[1].equals(current[0])) {
                    results.add(new Result(Integer.parseInt(parts[1]), parts[2], current[2],
                            Status.valueOf(parts[0]), parts.length > 3 ? parts[3] : ""));
                    current = null;
                }
            }
            int code = process.waitFor();
            err.join(5000);
            out.join(5000);
            String tail;
            synchronized (stderrTail) {
                tail = String.join("\n", stderrTail);
            }
            return new Outcome(false, current, code, hung, tail);
        }
    }

    /** Per family: how many cases passed and failed. */
    static Map<String, int[]> perFamily(List<Result> results) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Result r : results) {
            counts.computeIfAbsent(r.family(), f -> new int[2])[r.status() == Status.PASS ? 0 : 1]++;
        }
        return counts;
    }

    public static void main(String[] args) throws Exception {
        Path corpus = null;
        String only = null;
        String reproduce = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--case" -> only = args[++i];
                case "--reproduce" -> reproduce = args[++i];
                default -> corpus = Path.of(args[i]);
            }
        }
        if (corpus == null) {
            System.err.println("usage: CorpusRunner CORPUS.jsonl [--case ID] [--reproduce \"COMMAND\"]");
            System.exit(2);
        }
        long start = System.nanoTime();
        List<Result> results = run(corpus, only, System.getProperty("java.class.path"));
        int failed = 0;
        for (Result r : results) {
            if (r.status() != Status.PASS) {
                failed++;
                System.out.println("FAILED " + r.id() + " [" + r.family() + "] " + r.status() + ": " + r.detail());
                if (reproduce != null) {
                    System.out.println("  reproduce: " + reproduce + " --case " + r.id());
                }
            }
        }
        perFamily(results).forEach((family, n) -> System.out.printf("  %-14s %4d passed, %d failed%n", family, n[0],
                n[1]));
        System.out.printf("fuzz: %s, %d cases in %.1f s%n", corpus.getFileName(), results.size(),
                (System.nanoTime() - start) / 1e9);
        System.out.println("fuzz: " + (results.size() - failed) + " passed, " + failed + " failed");
        System.exit(failed == 0 && !results.isEmpty() ? 0 : 1);
    }
}
