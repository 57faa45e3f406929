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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel survives the learner (docs/kernel-survival.md), driven as Jupyter drives it: a cell's exit fails
 * the cell and nothing else. One kernel for all tests, as in ShapeLabKernelTest.
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
}
