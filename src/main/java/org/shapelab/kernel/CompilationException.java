package org.shapelab.kernel;

/** A cell that does not compile; its message is javac's, with the offending line and a caret. */
final class CompilationException extends Exception {

    CompilationException(String message) {
        super(message);
    }
}
