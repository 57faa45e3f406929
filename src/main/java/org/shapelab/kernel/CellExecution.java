package org.shapelab.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution (snippets run in the kernel's own JVM), keeping what a snippet returns and
 * throws as objects. JShell itself hands back only their {@code toString()}; the kernel needs the objects
 * to render a model as a table and to tell a {@code ShapeException} from other failures.
 *
 * <p>Each snippet runs on a thread of its own, so that an interrupt can stop it without touching the
 * kernel's threads, and so that {@link ExitGuard} can tell the cell's exits from the kernel's.
 */
final class CellExecution extends DirectExecutionControl implements ExecutionControlProvider {

    private volatile Thread running;
    private volatile boolean interrupted;
    private Object value;
    private Throwable thrown;

    // ---- as the provider JShell asks for an engine ----

    @Override
    public String name() {
        return "shapelab-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return this;
    }

    // ---- what the kernel reads after each snippet ----

    /** A new cell starts: an interrupt from before is no longer meant for it. */
    void startCell() {
        interrupted = false;
    }

    /** Forgets the last snippet's value and exception. */
    void forget() {
        value = null;
        thrown = null;
    }

    /** What the last snippet evaluated to (null for statements and for a null value). */
    Object value() {
        return value;
    }

    /** What the last snippet threw, as thrown. */
    Throwable thrown() {
        return thrown;
    }

    /**
     * Whether the cell was interrupted: its running snippet stopped (which JShell reports as no exception at
     * all), or the interrupt came while JShell compiled, and no further snippet runs.
     */
    boolean interrupted() {
        return interrupted;
    }

    // ---- as JShell's execution engine ----

    @Override
    protected String invoke(Method doit) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            // Before the cell's code runs, so that every thread it starts is a cell's too (ExitGuard).
            ExitGuard.enterCell();
            try {
                result.set(doit.invoke(null));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "shapelab-cell");
        worker.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        running = worker;
        if (interrupted) {
            running = null;
            throw new StoppedException();
        }
        try {
            worker.start();
            worker.join();
        } finally {
            running = null;
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t != null) {
            throw new InvocationTargetException(t);
        }
        value = result.get();
        // JShell keeps this text as the snippet's value; the kernel renders the object instead.
        return value == null ? "null" : value.getClass().getName();
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause) throws RunException, InternalException {
        if (cause instanceof ThreadDeath) {
            throw new StoppedException();
        }
        thrown = cause;
        return super.throwConvertedInvocationException(cause);
    }

    /** Stops the running snippet, as Ctrl-C in jshell does (Thread.stop, JShell's own way, still works on 17). */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        interrupted = true;
        Thread worker = running;
        if (worker != null) {
            try {
                worker.stop();
            } catch (UnsupportedOperationException newerJdk) {
                worker.interrupt();
            }
        }
    }
}
