package org.shapelab.kernel;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The kernel's class-data sharing archive (CDS, JEP 350): the classes a kernel loads from its start to the first
 * rendered model (JShell's compiler, the kernel, ShapeLab's model and display classes), parsed and verified once
 * when the kernel is installed instead of at every start. Made by a warm-up run of the installed kernelspec itself,
 * its argv with {@code -XX:ArchiveClassesAtExit}, driven through Jupyter's protocol like a notebook (kernel_info,
 * the first cells of notebooks 00 and 01, shutdown); then the kernelspec gets {@code -XX:SharedArchiveFile}.
 *
 * <p>The archive holds for this Java and these jars only; a JVM that finds it stale (a Java update, a rebuilt jar)
 * says so in the Jupyter server's log and starts without it, as before. Reinstalling the kernel makes a new one.
 */
final class ClassCache {

    static final String ARCHIVE = "shapelab.jsa";
    static final String USE = "-XX:SharedArchiveFile=";
    static final String DUMP = "-XX:ArchiveClassesAtExit=";

    /** What a workshop's first cells do (notebooks 00 and 01): a value, a model shown, its summary, its diagram. */
    static final List<String> WARM_UP_CELLS = List.of(
            "1 + 2",
            "var model = Sequential.input(28, 28, 1).conv2d(32, 3, \"relu\").maxPooling2d(2).flatten()"
                    + ".dense(10, \"softmax\");\nmodel",
            "System.out.print(model.summary());",
            "display(plotModel(model));");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STEP_SECONDS = 180;
    private static final long EXIT_SECONDS = 5;

    private ClassCache() {
    }

    /**
     * Runs the kernelspec's kernel once to make its archive and, if that worked, adds the archive to the spec's argv.
     * Returns what happened, in one line for the installer's output; never throws for a kernel that fails.
     */
    static String make(Path kernelDir, ObjectNode spec) throws IOException {
        Path archive = kernelDir.resolve(ARCHIVE);
        Files.deleteIfExists(archive);
        List<String> argv = new ArrayList<>();
        spec.path("argv").forEach(a -> argv.add(a.asText()));
        Path work = Files.createTempDirectory("shapelab-class-cache");
        Path log = work.resolve("kernel.log");
        try {
            Connection connection = Connection.free();
            Path connectionFile = work.resolve("connection.json");
            Files.writeString(connectionFile, connection.json());
            List<String> command = new ArrayList<>();
            for (String arg : argv) {
                command.add(arg.replace("{connection_file}", connectionFile.toString()));
            }
            command.add(1, DUMP + archive);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(work.toFile());
            spec.path("env").fields().forEachRemaining(e -> builder.environment().put(e.getKey(), e.getValue().asText()));
            Process kernel = builder.start();
            String problem;
            try {
                problem = drive(connection, kernel);
            } finally {
                // After the shutdown reply IJava's and JJava's JVMs linger for a minute (their idle cell thread is
                // not a daemon); SIGTERM ends them the orderly way, which writes the archive like an exit does.
                if (!kernel.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                    kernel.destroy();
                }
                if (!kernel.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                    kernel.destroyForcibly().waitFor();
                }
            }
            if (problem == null && !Files.isRegularFile(archive)) {
                problem = "the kernel wrote no archive (exit code " + kernel.exitValue() + ")";
            }
            if (problem != null) {
                Files.deleteIfExists(archive);
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                return "no class-data archive: " + problem + "; the kernel starts without one."
                        + (lines.isEmpty() ? "" : " Its last output: "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            spec.withArray("argv").insert(1, USE + archive);
            return "class-data archive " + archive + " (" + Files.size(archive) / (1024 * 1024) + " MB)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no class-data archive: interrupted";
        } finally {
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** The warm-up through Jupyter's protocol; null when every step answered, else what went wrong. */
    private static String drive(Connection connection, Process kernel) {
        try (ZContext context = new ZContext()) {
            ZMQ.Socket shell = context.createSocket(SocketType.DEALER);
            ZMQ.Socket control = context.createSocket(SocketType.DEALER);
            shell.connect(connection.url(connection.shell));
            control.connect(connection.url(connection.control));
            Client client = new Client(connection.key, kernel);
            if (client.request(shell, "kernel_info_request", JSON.createObjectNode()) == null) {
                return "the kernel did not answer kernel_info";
            }
            for (String code : WARM_UP_CELLS) {
                ObjectNode content = JSON.createObjectNode().put("code", code).put("silent", false)
                        .put("store_history", true).put("allow_stdin", false).put("stop_on_error", true);
                content.putObject("user_expressions");
                JsonNode reply = client.request(shell, "execute_request", content);
                if (reply == null || !"ok".equals(reply.path("status").asText())) {
                    return "the warm-up cell " + code.lines().findFirst().orElse("") + " did not run ("
                            + (reply == null ? "no reply" : reply.path("ename").asText() + ": "
                            + reply.path("evalue").asText()) + ")";
                }
            }
            client.request(control, "shutdown_request", JSON.createObjectNode().put("restart", false));
            return null;
        }
    }

    /** Free local ports and a key for one kernel. */
    record Connection(int shell, int iopub, int stdin, int control, int hb, String key) {

        static Connection free() throws IOException {
            int[] ports = new int[5];
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < ports.length; i++) {
                    ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                    held.add(socket);
                    ports[i] = socket.getLocalPort();
                }
            } finally {
                for (ServerSocket socket : held) {
                    socket.close();
                }
            }
            return new Connection(ports[0], ports[1], ports[2], ports[3], ports[4], UUID.randomUUID().toString());
        }

        String url(int port) {
            return "tcp://127.0.0.1:" + port;
        }

        String json() throws IOException {
            return JSON.writeValueAsString(Map.of("transport", "tcp", "ip", "127.0.0.1", "shell_port", shell,
                    "iopub_port", iopub, "stdin_port", stdin, "control_port", control, "hb_port", hb, "key", key,
                    "signature_scheme", "hmac-sha256", "kernel_name", KernelInstaller.NAME));
        }
    }

    /** Just enough of a Jupyter client: signed requests on a DEALER socket, the reply's content. */
    private static final class Client {
        private final String key;
        private final Process kernel;
        private final String session = UUID.randomUUID().toString();

        Client(String key, Process kernel) {
            this.key = key;
            this.kernel = kernel;
        }

        /** Sends a request and returns the content of its reply, or null if none came in time. */
        JsonNode request(ZMQ.Socket socket, String type, ObjectNode content) {
            try {
                String id = UUID.randomUUID().toString();
                ObjectNode header = JSON.createObjectNode().put("msg_id", id).put("session", session)
                        .put("username", "shapelab").put("date", Instant.now().toString()).put("msg_type", type)
                        .put("version", "5.3");
                String[] parts = {JSON.writeValueAsString(header), "{}", "{}", JSON.writeValueAsString(content)};
                socket.sendMore("<IDS|MSG>");
                socket.sendMore(sign(parts));
                for (int i = 0; i < parts.length; i++) {
                    if (i < parts.length - 1) {
                        socket.sendMore(parts[i]);
                    } else {
                        socket.send(parts[i]);
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
                socket.setReceiveTimeOut(500);
                while (System.nanoTime() < deadline && kernel.isAlive()) {
                    List<String> frames = receive(socket);
                    int delimiter = frames.indexOf("<IDS|MSG>");
                    if (delimiter < 0 || frames.size() < delimiter + 6) {
                        continue;
                    }
                    JsonNode parent = JSON.readTree(frames.get(delimiter + 3));
                    if (id.equals(parent.path("msg_id").asText())) {
                        return JSON.readTree(frames.get(delimiter + 5));
                    }
                }
                return null;
            } catch (IOException | GeneralSecurityException | RuntimeException failure) {
                return null;
            }
        }

        private static List<String> receive(ZMQ.Socket socket) {
            List<String> frames = new ArrayList<>();
            byte[] frame = socket.recv();
            while (frame != null) {
                frames.add(new String(frame, StandardCharsets.UTF_8));
                frame = socket.hasReceiveMore() ? socket.recv() : null;
            }
            return frames;
        }

        private String sign(String[] parts) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (String part : parts) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(mac.doFinal());
        }
    }
}
