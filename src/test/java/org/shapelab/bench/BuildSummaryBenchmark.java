package org.shapelab.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Conv2D;
import org.shapelab.model.Sequential;

/**
 * Building and summarizing a 20-layer model, the work behind every notebook cell that defines a model.
 * Peer in the same run: parsing and re-writing the same model's Keras JSON, the cheapest thing a tool
 * must do to know a model at all, so the ratio says how much the shape engine adds on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BuildSummaryBenchmark {

    private final String json = build().toKerasJson();

    /** 20 layers: a VGG-style CNN with batch norm, pooling, dropout and a dense head. */
    static Sequential build() {
        return Sequential.input(64, 64, 3)
                .add(new Conv2D(32, 3).padding("same").activation("relu")).add(new BatchNormalization())
                .add(new Conv2D(32, 3).padding("same").activation("relu")).maxPooling2d(2).dropout(0.25)
                .add(new Conv2D(64, 3).padding("same").activation("relu")).add(new BatchNormalization())
                .add(new Conv2D(64, 3).padding("same").activation("relu")).maxPooling2d(2).dropout(0.25)
                .add(new Conv2D(128, 3).padding("same").activation("relu")).add(new BatchNormalization())
                .maxPooling2d(2).dropout(0.25)
                .flatten().dense(256, "relu").dropout(0.5).dense(128, "relu").dropout(0.5).dense(10, "softmax");
    }

    @Benchmark
    public String buildAndSummary() {
        return build().summary();
    }

    @Benchmark
    public String buildAndShapeTableHtml() {
        return build().toHtml();
    }

    @Benchmark
    public String peerKerasJsonRoundTrip() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = MAPPER;
        return mapper.writeValueAsString(mapper.readTree(json));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();
}
