package org.shapelab.kernel;

import java.io.PrintStream;
import java.security.Permission;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps a cell from ending the kernel: {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}
 * called by a cell's code throw {@link ExitRefusedException} instead, while the kernel's own exits (the end
 * of {@code main} after Jupyter's shutdown request, the client's death) go through.
 *
 * <p>The JDK's only hook before an exit is a {@link SecurityManager}: deprecated for removal since Java 17
 * (which prints a warning to stderr, the Jupyter server's log, when it is installed), refused by Java 18-23
 * unless the JVM was started with {@code -Djava.security.manager=allow} (which {@link KernelInstaller} puts
 * in the kernelspec), and gone in Java 24. Where it is refused the kernel runs without this protection and
 * says so once in the log. This one guards exits only: its {@code checkPermission} allows everything, so no
 * other operation is refused.
 *
 * <p>An exit comes from a cell when it is called on a cell's thread or on a thread that a cell's thread
 * started (they inherit a marker, however deep), or when cell code is on the calling stack: a task a cell
 * hands to a thread that existed before it, such as the common fork-join pool's, whose workers carry no
 * marker (the JDK runs them as "innocuous" threads, without inherited thread locals, once a security
 * manager is installed).
 */
@SuppressWarnings("removal") // the security manager is the hook for exits Java 17-23 have; see above
final class ExitGuard extends SecurityManager {

    /** The package JShell compiles every cell's classes into. */
    private static final String CELL_CODE = "REPL.";

    private static final InheritableThreadLocal<Boolean> CELL_THREAD = new InheritableThreadLocal<>();
    private static Boolean installed;

    private ExitGuard() {
    }

    /**
     * Installs the guard for this JVM (once; later calls return the first answer). False, after one line in
     * the log, if the JVM refuses a security manager.
     */
    static synchronized boolean install() {
        if (installed == null) {
            // A lambda, not a method reference, so that Java 17's warning names ExitGuard as the caller.
            installed = install(manager -> System.setSecurityManager(manager), System.err);
        }
        return installed;
    }

    /** Installs the guard through {@code setter}; false, after one line on {@code log}, if it refuses. */
    static boolean install(Consumer<SecurityManager> setter, PrintStream log) {
        try {
            setter.accept(new ExitGuard());
            return true;
        } catch (UnsupportedOperationException | SecurityException refused) {
            log.println("ShapeLab kernel: exit protection is off, so System.exit in a cell ends the kernel ("
                    + refused.getMessage() + "). Java 18-23 allow it when started with -Djava.security.manager=allow,"
                    + " as the kernelspec of ./shapelab install-kernel does; Java 24 and later have no way.");
            return false;
        }
    }

    /** Marks the calling thread, and every thread it starts from now on, as a cell's. */
    static void enterCell() {
        CELL_THREAD.set(Boolean.TRUE);
    }

    /** Whether an exit called here, now, would come from a cell. */
    static boolean refusesHere() {
        return CELL_THREAD.get() != null || StackWalker.getInstance().walk(frames -> frames
                .anyMatch(frame -> frame.getClassName().startsWith(CELL_CODE)));
    }

    @Override
    public void checkExit(int status) {
        if (refusesHere()) {
            throw new ExitRefusedException(call(status));
        }
    }

    /** Which of the three calls asked to exit, as the learner wrote it. */
    private static String call(int status) {
        List<String> callers = StackWalker.getInstance().walk(frames -> frames.limit(8)
                .map(frame -> frame.getClassName() + "." + frame.getMethodName()).toList());
        String call = callers.contains("java.lang.Runtime.halt") ? "Runtime.getRuntime().halt"
                : callers.contains("java.lang.System.exit") ? "System.exit" : "Runtime.getRuntime().exit";
        return call + "(" + status + ")";
    }

    @Override
    public void checkPermission(Permission permission) {
        // Everything else is allowed: this manager exists for checkExit alone.
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
        // as above
    }
}
