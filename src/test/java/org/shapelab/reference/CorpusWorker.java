package org.shapelab.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The child JVM of {@link CorpusRunner} for a fuzz corpus: checks its cases ({@link CaseCheck}) from a given index
 * on, reporting each through {@link CaseReporter}.
 *
 * <pre>java -cp ... org.shapelab.reference.CorpusWorker CORPUS.jsonl FIRST_INDEX [CASE_ID]</pre>
 */
public final class CorpusWorker {

    private CorpusWorker() {
    }

    public static void main(String[] args) throws IOException {
        CaseReporter report = new CaseReporter();
        Path corpus = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        String only = args.length > 2 ? args[2] : null;
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader lines = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            lines.readLine(); // the header
            int index = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine(), index++) {
                if (index < first || line.isBlank()) {
                    continue;
                }
                ReferenceCase c = ReferenceCase.of(json.readTree(line));
                if (only != null && !only.equals(c.id())) {
                    continue;
                }
                report.begin(index, c.id(), c.family());
                try {
                    report.pass(index, c.id(), String.format("worst error %.3g", CaseCheck.check(c)));
                } catch (AssertionError | RuntimeException e) {
                    report.fail(index, c.id(), e);
                }
            }
        }
        report.end();
    }
}
