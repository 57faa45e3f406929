package org.shapelab.kernel;

/**
 * For KernelSurvivalTest: a thread, started from a cell, whose exit has no cell code on its stack (only the
 * marker it inherited tells it is the cell's). Public because cell code, in JShell's package, creates it.
 */
public final class ExitingThread extends Thread {

    private volatile String refusal;

    @Override
    public void run() {
        try {
            System.exit(4);
        } catch (SecurityException e) {
            refusal = e.getMessage().lines().findFirst().orElseThrow();
        }
    }

    /** The first line of the refusal, once the thread has ended. */
    public String refusal() {
        return refusal;
    }
}
