package org.shapelab.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.spencerpark.jupyter.channels.IOPubChannel;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.publish.PublishError;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.InterruptRequest;
import org.zeromq.ZMQ;

/**
 * ShapeLab's kernel behind basekernel's own request handlers, as Jupyter drives it, without a client: an
 * execute request goes through basekernel's handler (which points System.out and System.err at its Jupyter
 * streams, runs the cell and publishes the result), and every message the kernel publishes is recorded, in
 * the order it was sent, instead of going out on a socket.
 */
final class KernelSession implements AutoCloseable {

    private static final String CONNECTION = """
            {"transport": "tcp", "ip": "127.0.0.1", "shell_port": 0, "iopub_port": 0, "stdin_port": 0,
             "control_port": 0, "hb_port": 0, "signature_scheme": "hmac-sha256", "key": "test"}""";

    final ShapeLabKernel kernel;
    private final JupyterConnection connection;
    private final ZMQ.Context context = ZMQ.context(1);
    private final IOPubChannel iopub;
    private final ShellChannel shell;
    private final List<Message<?>> published = new CopyOnWriteArrayList<>();

    KernelSession() throws Exception {
        KernelConnectionProperties properties = KernelConnectionProperties.parse(CONNECTION);
        kernel = new ShapeLabKernel(List.of(Path.of("kernel-ext/startup.jsh")));
        connection = new JupyterConnection(properties);
        kernel.becomeHandlerForConnection(connection);
        iopub = new IOPubChannel(context, properties.createHMACGenerator()) {
            @Override
            public synchronized void sendMessage(Message<?> message) {
                published.add(message);
            }
        };
        shell = new ShellChannel(context, properties.createHMACGenerator(), false, connection) {
            @Override
            public synchronized void sendMessage(Message<?> message) {
                // replies go back on the shell socket; the tests read what the kernel published
            }
        };
    }

    /** Runs a cell as an execute request; returns what it published, from execute_input to idle. */
    Cell execute(String code) {
        Message<ExecuteRequest> request = new Message<>(new Header<>(ExecuteRequest.MESSAGE_TYPE),
                new ExecuteRequest(code, false, true, Map.of(), false, true));
        int from = published.size();
        ShellReplyEnvironment env = environment(request);
        ShellHandler<ExecuteRequest> handler = connection.getHandler(ExecuteRequest.MESSAGE_TYPE);
        handler.handle(env, request);
        env.resolveDeferrals();
        return new Cell(new ArrayList<>(published.subList(from, published.size())));
    }

    /** Jupyter's interrupt request, as the control channel passes it. */
    void interrupt() {
        Message<InterruptRequest> request = new Message<>(new Header<>(InterruptRequest.MESSAGE_TYPE),
                new InterruptRequest());
        ShellReplyEnvironment env = environment(request);
        connection.getHandler(InterruptRequest.MESSAGE_TYPE).handle(env, request);
        env.resolveDeferrals();
    }

    /** What the kernel has published so far, e.g. while a cell runs. */
    List<Message<?>> published() {
        return published;
    }

    private ShellReplyEnvironment environment(Message<?> request) {
        return new ShellReplyEnvironment(shell, null, iopub, request) { };
    }

    @Override
    public void close() {
        kernel.onShutdown(false);
        iopub.close();
        shell.close();
        context.close();
    }

    /** The messages one cell published. */
    record Cell(List<Message<?>> messages) {

        List<PublishStream> streams() {
            return messages.stream().filter(m -> m.getContent() instanceof PublishStream)
                    .map(m -> (PublishStream) m.getContent()).toList();
        }

        /** All text the cell sent to one stream ("stdout" or "stderr"). */
        String text(String stream) {
            return streams().stream().filter(s -> streamName(s).equals(stream)).map(PublishStream::getText)
                    .collect(Collectors.joining());
        }

        PublishError error() {
            return messages.stream().filter(m -> m.getContent() instanceof PublishError)
                    .map(m -> (PublishError) m.getContent()).findFirst().orElse(null);
        }

        /** The cell's value as text/plain, or null. */
        String value() {
            return messages.stream().filter(m -> m.getHeader().getType().getName().equals("execute_result"))
                    .map(m -> String.valueOf(((DisplayData) m.getContent()).getData(MIMEType.TEXT_PLAIN)))
                    .findFirst().orElse(null);
        }

        /**
         * What a notebook shows of the cell, in order: "stdout:TEXT", "stderr:TEXT", "display:TEXT",
         * "error:NAME", "result:TEXT". Consecutive stream messages of one stream are one entry, as a notebook
         * joins them; status and execute_input are left out.
         */
        List<String> sequence() {
            List<String> sequence = new ArrayList<>();
            for (Message<?> message : messages) {
                Object content = message.getContent();
                String type = message.getHeader().getType().getName();
                if (content instanceof PublishStream stream) {
                    String prefix = streamName(stream) + ":";
                    int last = sequence.size() - 1;
                    if (last >= 0 && sequence.get(last).startsWith(prefix)) {
                        sequence.set(last, sequence.get(last) + stream.getText());
                    } else {
                        sequence.add(prefix + stream.getText());
                    }
                } else if (content instanceof PublishError error) {
                    sequence.add("error:" + error.getErrorName());
                } else if (type.equals("display_data") || type.equals("execute_result")) {
                    sequence.add((type.equals("display_data") ? "display:" : "result:")
                            + ((DisplayData) content).getData(MIMEType.TEXT_PLAIN));
                }
            }
            return sequence;
        }

        static String streamName(PublishStream stream) {
            return stream.getStreamType() == PublishStream.StreamType.OUT ? "stdout" : "stderr";
        }
    }
}
