package org.shapelab.reference;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM's side of {@link CorpusRunner}'s protocol: on the real standard output, one line
 * {@code @@case BEGIN index id family} before a case and {@code @@case PASS|FAIL index id detail} after it, then
 * {@code @@case END}. A BEGIN without its result tells the runner which case ended the JVM. Everything the code
 * under test prints goes to standard error instead, so a library's log never mixes with the protocol.
 */
final class CaseReporter {

    static final String MARK = "@@case ";

    private final PrintStream protocol;

    /** Takes over standard output; call once, first thing in a worker's main. */
    CaseReporter() {
        protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
    }

    void begin(int index, String id, String family) {
        protocol.println(MARK + "BEGIN " + index + " " + id + " " + family);
    }

    void pass(int index, String id, String detail) {
        protocol.println(MARK + "PASS " + index + " " + id + " " + oneLine(detail));
    }

    void fail(int index, String id, Throwable failure) {
        String text = (failure instanceof AssertionError ? "" : failure.getClass().getSimpleName() + ": ")
                + failure.getMessage();
        protocol.println(MARK + "FAIL " + index + " " + id + " " + oneLine(text));
    }

    void end() {
        protocol.println(MARK + "END");
    }

    private static String oneLine(String text) {
        return text.replace("\r", "").replace("\n", " | ");
    }
}
