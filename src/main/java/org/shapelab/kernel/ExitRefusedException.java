package org.shapelab.kernel;

/**
 * A cell called {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, which would have ended the
 * kernel's JVM. The learner sees this message and nothing else (no trace), so it says what happened and what
 * to do instead.
 */
final class ExitRefusedException extends SecurityException {

    ExitRefusedException(String call) {
        super(call + " was stopped: it would have ended the Jupyter kernel, and every variable and method of this"
                + " notebook with it.\n"
                + "  to stop the cell here:  throw an exception, e.g. throw new IllegalStateException(\"stop\");"
                + "  (in a method: return)\n"
                + "  to restart the kernel:  Kernel > Restart in the notebook's menu (every variable is lost)");
    }
}
