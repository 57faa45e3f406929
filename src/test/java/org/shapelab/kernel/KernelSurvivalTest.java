package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.spencerpark.jupyter.messages.publish.PublishStream;

/**
 * The kernel survives the learner (docs/kernel-survival.md), driven as Jupyter drives it: a cell's exit fails
 * the cell and nothing else; a flood of output arrives capped, in few messages; small output arrives in
 * order and while the cell runs; an interrupt stops a cell. One kernel for all tests, as in ShapeLabKernelTest.
 */
@SuppressWarnings("removal") // System.getSecurityManager: where ExitGuard is
class KernelSurvivalTest {

    private static KernelSession session;

    @BeforeAll
    static void start() throws Exception {
        session = new KernelSession();
        if (Runtime.version().feature() == 17) {
            assertInstanceOf(ExitGuard.class, System.getSecurityManager(), "the kernel installs the guard");
        }
        // Java 18-23 refuse it unless started with -Djava.security.manager=allow (the kernel logs so), 24+ always.
        assumeTrue(System.getSecurityManager() instanceof ExitGuard, "this JVM refuses a security manager");
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    private static String errorText(KernelSession.Cell cell) {
        return String.join("\n", cell.error().getStacktrace());
    }

    // ---- exits ----

    @Test
    void systemExitFailsTheCellAndTheKernelKeepsItsVariables() {
        session.execute("int kept = 42;");
        KernelSession.Cell exit = session.execute("System.out.println(\"before\");\nSystem.exit(0);\n"
                + "System.out.println(\"after\");");
        assertEquals(List.of("stdout:before\n", "error:ExitRefusedException"), exit.sequence());
        assertEquals(List.of(
                "\u001B[1m\u001B[31mExitRefusedException: System.exit(0) was stopped: it would have ended the Jupyter"
                        + " kernel, and every variable and method of this notebook with it.\u001B[0m",
                "  to stop the cell here:  throw an exception, e.g. throw new IllegalStateException(\"stop\");"
                        + "  (in a method: return)",
                "  to restart the kernel:  Kernel > Restart in the notebook's menu (every variable is lost)"),
                exit.error().getStacktrace());
        assertEquals("42", session.execute("kept").value(), "the variable lives on");
        assertEquals("43", session.execute("kept + 1").value(), "and the next cell runs");
    }

    @Test
    void runtimeExitAndHaltAreRefusedByTheirNames() {
        for (String call : List.of("Runtime.getRuntime().exit(1)", "Runtime.getRuntime().halt(2)", "System.exit(-1)")) {
            KernelSession.Cell cell = session.execute(call + ";");
            assertEquals("ExitRefusedException", cell.error().getErrorName(), call);
            assertTrue(errorText(cell).contains(call + " was stopped: it would have ended the Jupyter kernel"),
                    errorText(cell));
        }
        assertEquals("2", session.execute("1 + 1").value());
    }

    @Test
    void exitsFromThreadsACellStartedAreRefused() {
        KernelSession.Cell cell = session.execute("""
                List<String> refused = new CopyOnWriteArrayList<>();
                Runnable exit = () -> {
                    try {
                        System.exit(3);
                    } catch (SecurityException e) {
                        refused.add(Thread.currentThread().getName() + ": " + e.getMessage().lines().findFirst().get());
                    }
                };
                Thread child = new Thread(() -> {
                    Thread grandchild = new Thread(exit, "grandchild");
                    grandchild.start();
                    try { grandchild.join(); } catch (InterruptedException e) { }
                }, "child");
                child.start();
                child.join();
                // no inherited marker: refused because the cell's code is on its stack
                Thread bare = new Thread(null, exit, "bare", 0, false);
                bare.start();
                bare.join();
                ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "pool"));
                pool.submit(exit).get();
                pool.shutdown();
                // no cell code on its stack: refused because it inherited the cell's marker
                var library = new org.shapelab.kernel.ExitingThread();
                library.start();
                library.join();
                refused.add("library: " + library.refusal());
                String.join("|", refused)
                """);
        String stopped = ": System.exit(%d) was stopped: it would have ended the Jupyter kernel, and every variable"
                + " and method of this notebook with it.";
        assertEquals(String.join("|", "grandchild" + stopped.formatted(3), "bare" + stopped.formatted(3),
                "pool" + stopped.formatted(3), "library" + stopped.formatted(4)), cell.value());
    }

    @Test
    void theKernelsOwnThreadsMayStillExit() {
        assertInstanceOf(ExitGuard.class, System.getSecurityManager());
        assertFalse(ExitGuard.refusesHere());
        // the check System.exit makes before it ends the JVM, here on a thread that is not a cell's
        assertDoesNotThrow(() -> System.getSecurityManager().checkExit(0));
    }

    @Test
    @Timeout(60)
    void aJvmWithTheGuardStillEndsWhenTheKernelExits() throws Exception {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ExitProbe.class.getName(), "7").start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(probe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(7, probe.waitFor(), out + err);
        assertEquals(List.of("installed: true", "refused: System.exit(1) was stopped: it would have ended the Jupyter"
                + " kernel, and every variable and method of this notebook with it."), out.lines().toList());
        if (Runtime.version().feature() == 17) {
            // Java 17's warning for System.setSecurityManager goes to stderr, the Jupyter server's log
            assertTrue(err.contains("WARNING: System::setSecurityManager has been called by org.shapelab.kernel.ExitGuard ("),
                    err);
        }
    }

    @Test
    void whereTheJvmRefusesTheGuardTheKernelSaysSoOnce() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        boolean installed = ExitGuard.install(manager -> {
            throw new UnsupportedOperationException("The Security Manager is deprecated and will be removed in a"
                    + " future release");
        }, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertFalse(installed);
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("ShapeLab kernel: exit protection is off, so System.exit in a cell ends the"
                + " kernel (The Security Manager is deprecated"), lines.get(0));
        assertTrue(lines.get(0).contains("-Djava.security.manager=allow"), lines.get(0));
        assertInstanceOf(ExitGuard.class, System.getSecurityManager(), "the real one stays");
    }

    // ---- output ----

    @Test
    @Timeout(60)
    void twoMillionLinesArriveCappedInFewMessagesAndTheCellEnds() {
        KernelSession.Cell flood = session.execute("for (int i = 0; i < 2_000_000; i++) System.out.println(i);");
        assertEquals(IntStream.range(0, CellOutput.MAX_LINES).mapToObj(i -> i + "\n").collect(Collectors.joining()),
                flood.text("stdout"), "the first 10,000 lines, whole and in order");
        // 10,000 to 1,999,999: 90,000 numbers of 5 digits, 900,000 of 6 and 1,000,000 of 7, each with its newline
        assertEquals("[ShapeLab: output stops here: a cell shows at most 10,000 lines or 1,000,000 bytes; the cell"
                + " runs on, and what it prints is counted, not shown.]\n"
                + "[ShapeLab: left out the last 1,990,000 lines (14,840,000 bytes) of this cell's output. To see all"
                + " of it, write it to a file and open that: var log = new PrintStream(\"output.txt\");"
                + " log.println(...); log.close(); or print less, e.g. every 1000th step.]\n", flood.text("stderr"));
        // one message per println was 2,000,000 of them
        assertTrue(flood.streams().size() <= 100, flood.streams().size() + " stream messages");
        assertEquals(null, flood.error());
        assertEquals("2", session.execute("1 + 1").value(), "the kernel goes on");
    }

    @Test
    void aLongLineIsCutAtTheByteCapBetweenCharacters() {
        // 1 + 1,200,000 bytes on one line: the cap falls inside an é, which is left out whole
        KernelSession.Cell cell = session.execute("System.out.print(\"a\" + \"é\".repeat(600_000));");
        assertEquals("a" + "é".repeat(499_999), cell.text("stdout"));
        assertTrue(cell.text("stderr").startsWith("[ShapeLab: output stops here"), cell.text("stderr"));
        assertTrue(cell.text("stderr").contains("[ShapeLab: left out the last 1 line (200,002 bytes) of this cell's"
                + " output."), cell.text("stderr"));
    }

    @Test
    void aCharacterWrittenInTwoPartsArrivesWhole() {
        KernelSession.Cell cell = session.execute("""
                byte[] e = "é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                System.out.write(e, 0, 1);
                Thread.sleep(300);
                System.out.write(e, 1, 1);
                """);
        assertEquals("é", cell.text("stdout"));
        assertTrue(cell.streams().stream().noneMatch(s -> s.getText().contains("\uFFFD")), cell.sequence().toString());
    }

    @Test
    void smallOutputKeepsItsOrderAroundDisplaysAndErrors() {
        KernelSession.Cell cell = session.execute("""
                System.out.println("one");
                System.err.println("two");
                System.out.print("three ");
                System.out.println("four");
                display("five");
                System.out.println("six");
                System.err.println("seven");
                throw new IllegalStateException("eight");
                """);
        assertEquals(List.of("stdout:one\n", "stderr:two\n", "stdout:three four\n", "display:five", "stdout:six\n",
                "stderr:seven\n", "error:IllegalStateException"), cell.sequence());
        assertEquals(List.of("stdout:ok\n", "result:3"), session.execute("System.out.println(\"ok\");\n1 + 2").sequence());
    }

    @Test
    @Timeout(30)
    void outputShowsWhileTheCellStillRuns() {
        System.clearProperty("shapelab.test.shown");
        Thread watcher = new Thread(() -> {
            while (session.published().stream().noneMatch(message -> message.getContent() instanceof PublishStream s
                    && s.getText().contains("shown while running"))) {
                Thread.onSpinWait();
            }
            System.setProperty("shapelab.test.shown", "yes");
        });
        watcher.setDaemon(true);
        watcher.start();
        // the cell waits until its first line has reached Jupyter: output sent only at the end would never end it
        KernelSession.Cell cell = session.execute("""
                System.out.println("shown while running");
                while (System.getProperty("shapelab.test.shown") == null) { Thread.sleep(5); }
                System.out.println("then the end");
                """);
        assertEquals("shown while running\nthen the end\n", cell.text("stdout"));
    }

    // ---- interrupts ----

    @Test
    @Timeout(60)
    void anInterruptStopsASpinningCellAndTheKernelGoesOn() {
        interruptWhen("shapelab.test.spinning");
        KernelSession.Cell cell = session.execute("long turns = 0;\n"
                + "while (true) { if (++turns == 1_000_000) System.setProperty(\"shapelab.test.spinning\", \"yes\"); }");
        assertEquals(List.of("error:InterruptedException"), cell.sequence());
        assertEquals("true", session.execute("turns >= 1_000_000").value(), "the kernel goes on, with the cell's variable");
    }

    @Test
    @Timeout(60)
    void anInterruptStopsACellPrintingWithoutEndAndItsOutputStaysCapped() {
        interruptWhen("shapelab.test.printing");
        KernelSession.Cell cell = session.execute("""
                long printed = 0;
                while (true) {
                    System.out.println(printed++);
                    if (printed == 50_000) System.setProperty("shapelab.test.printing", "yes");
                }
                """);
        assertEquals(CellOutput.MAX_LINES, cell.text("stdout").lines().count());
        assertTrue(cell.text("stderr").contains("[ShapeLab: left out the last "), cell.text("stderr"));
        assertEquals("error:InterruptedException", cell.sequence().get(cell.sequence().size() - 1));
        assertEquals(List.of("stdout:next\n", "result:true"),
                session.execute("System.out.println(\"next\");\nprinted >= 50_000").sequence(),
                "the next cell shows its own output, whole");
    }

    /** Interrupts the next cell, as Jupyter's interrupt request does, once it has set the property. */
    private static void interruptWhen(String property) {
        System.clearProperty(property);
        Thread interrupter = new Thread(() -> {
            while (System.getProperty(property) == null) {
                Thread.onSpinWait();
            }
            session.interrupt();
        });
        interrupter.setDaemon(true);
        interrupter.start();
    }
}
