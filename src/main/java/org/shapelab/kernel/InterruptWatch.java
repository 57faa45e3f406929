package org.shapelab.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Makes Kernel &gt; Interrupt stop a busy cell in IJava 1.3.0 and JJava, as it does in ShapeLab's kernel.
 *
 * <p>What they do on an interrupt: cancel the cell's task ({@code Future.cancel(true)}), which only sets the cell
 * thread's interrupt flag; JShell's {@code stop()} shuts their executor down, which does the same. The cell is
 * reported interrupted, but a loop that never sleeps, waits or checks the flag ({@code while (true) {}}) runs on
 * and keeps a core busy until the kernel is shut down. This watch looks at their cell threads
 * ({@code IJava-executor-N}, {@code JJava-executor-N}) four times a second; one that has stayed interrupted for a
 * second while running a cell's code (JShell's {@code REPL} classes on its stack) is stopped with
 * {@link Thread#stop()}, as jshell's own Ctrl-C and ShapeLab's kernel ({@link CellExecution#stop()}) do. The
 * cell's variables stay; the thread returns to the kernel's pool.
 *
 * <p>{@code Thread.stop} works on Java 17-19; from Java 20 it throws, and the watch does not start (docs/workshop.md
 * says what a workshop leader can do then).
 */
final class InterruptWatch implements Runnable {

    static final List<String> CELL_THREADS = List.of("IJava-executor-", "JJava-executor-");
    static final long POLL_MS = 250;
    static final long GRACE_MS = 1000;
    /** The first Java whose Thread.stop throws UnsupportedOperationException. */
    static final int NO_THREAD_STOP = 20;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private final List<String> prefixes;
    private final Predicate<StackTraceElement> cellFrame;
    private final long graceMs;
    private final Map<Thread, Long> interruptedSince = new HashMap<>();

    InterruptWatch(List<String> prefixes, Predicate<StackTraceElement> cellFrame, long graceMs) {
        this.prefixes = prefixes;
        this.cellFrame = cellFrame;
        this.graceMs = graceMs;
    }

    /** Starts the watch for IJava's and JJava's cell threads, once per JVM; false where Java has no Thread.stop. */
    static boolean start() {
        if (Runtime.version().feature() >= NO_THREAD_STOP) {
            return false;
        }
        if (STARTED.compareAndSet(false, true)) {
            daemon(new InterruptWatch(CELL_THREADS, frame -> frame.getClassName().startsWith("REPL."), GRACE_MS));
        }
        return true;
    }

    static Thread daemon(InterruptWatch watch) {
        Thread thread = new Thread(watch, "shapelab-interrupt-watch");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                check(System.nanoTime() / 1_000_000);
                Thread.sleep(POLL_MS);
            } catch (InterruptedException end) {
                return;
            } catch (RuntimeException | LinkageError ignored) {
                // a thread that ended while being looked at: look again at the next poll
            }
        }
    }

    /** One look at the cell threads at the given time (ms); stops those interrupted for the grace period. */
    void check(long nowMs) {
        List<Thread> cells = cellThreads();
        interruptedSince.keySet().retainAll(cells);
        for (Thread thread : cells) {
            if (!thread.isInterrupted() || !runsCellCode(thread)) {
                interruptedSince.remove(thread);
                continue;
            }
            long since = interruptedSince.computeIfAbsent(thread, t -> nowMs);
            if (nowMs - since >= graceMs) {
                interruptedSince.remove(thread);
                stop(thread);
            }
        }
    }

    private boolean runsCellCode(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (cellFrame.test(frame)) {
                return true;
            }
        }
        return false;
    }

    private List<Thread> cellThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        List<Thread> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = all[i].getName();
            if (all[i].isAlive() && prefixes.stream().anyMatch(name::startsWith)) {
                cells.add(all[i]);
            }
        }
        return cells;
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread thread) {
        try {
            thread.stop();
        } catch (UnsupportedOperationException | SecurityException notHere) {
            // Java 20+ (start() does not run there) or a security manager that refuses: the loop runs on
        }
    }
}
