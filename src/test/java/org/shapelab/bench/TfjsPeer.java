package org.shapelab.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The TensorFlow.js 4.22 peer (wasm backend, XNNPACK, SIMD, one thread in Node). The Java side writes, per
 * workload, the model's Keras JSON, the Keras weights, the input and our output as little-endian float32
 * files plus a manifest; {@code tools/bench/tfjs/bench.mjs} loads them, checks its output against ours,
 * times {@code model.predict} and writes its figures back as JSON.
 */
final class TfjsPeer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final List<Map<String, Object>> workloads = new ArrayList<>();

    TfjsPeer(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** Adds one workload's fixture: Keras JSON, weights (Keras order and layouts), input, our output. */
    void add(String id, String title, String kerasJson, List<INDArray> weights, INDArray input, INDArray ours,
             boolean latency) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("title", title);
        entry.put("model", JSON.readTree(kerasJson));
        entry.put("input", write(id + "-input", input));
        List<Object> ws = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            ws.add(write(id + "-w" + i, weights.get(i)));
        }
        entry.put("weights", ws);
        entry.put("expected", write(id + "-ours", ours));
        entry.put("latency", latency);
        workloads.add(entry);
    }

    /** Writes the manifest with the timing settings the Java side used. */
    Path writeManifest(Sampler.Settings settings, double tolerance) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("tolerance", tolerance);
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("warmupCalls", settings.warmupCalls());
        timing.put("warmupSeconds", settings.warmupSeconds());
        timing.put("rounds", settings.rounds());
        timing.put("minSamplesPerRound", settings.minSamplesPerRound());
        timing.put("roundSeconds", settings.roundSeconds());
        timing.put("maxSamplesPerRound", settings.maxSamplesPerRound());
        manifest.put("timing", timing);
        manifest.put("workloads", workloads);
        Path file = dir.resolve("manifest.json");
        JSON.writeValue(file.toFile(), manifest);
        return file;
    }

    private Map<String, Object> write(String name, INDArray array) throws IOException {
        float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String file = name + ".f32";
        Files.write(dir.resolve(file), bytes.array());
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("file", file);
        ref.put("shape", array.shape());
        return ref;
    }

    /** Runs the Node peer (its log goes to this process's output) and reads its results, by workload id. */
    Map<String, JsonNode> run(Path script, Path manifest) throws IOException, InterruptedException {
        Path results = dir.resolve("results-tfjs.json");
        Files.deleteIfExists(results);
        Process process = new ProcessBuilder("node", script.toString(), manifest.toString(), results.toString())
                .inheritIO().start();
        int code = process.waitFor();
        if (code != 0 || !Files.exists(results)) {
            throw new IOException("the TF.js peer (" + script + ") exited with " + code + " and no results");
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        JsonNode root = JSON.readTree(results.toFile());
        for (JsonNode row : root.path("workloads")) {
            byId.put(row.path("id").asText(), row);
        }
        byId.put("_env", root.path("env"));
        return byId;
    }
}
