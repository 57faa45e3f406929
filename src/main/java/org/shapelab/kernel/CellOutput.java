package org.shapelab.kernel;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One cell's stdout and stderr on their way to Jupyter: gathered into few stream messages, and capped.
 *
 * <p>For each execute request basekernel 2.3.0 points {@code System.out} and {@code System.err} at
 * autoflushing PrintStreams over its {@code JupyterOutputStream}, which sends all that was written since the
 * last flush as one stream message: every {@code println} was a message, and a cell printing 2,000,000 lines
 * kept the kernel busy for half a minute while the client, flooded, lost most of them and the idle status
 * with them, so the cell never ended for it (docs/kernel-survival.md). The kernel puts this in front of those
 * streams for the length of the cell. Writes only add to a queue; a thread of this cell's sends what waits once it
 * has waited {@value #SEND_AFTER_MILLIS} ms or reached {@value #SEND_AT_BYTES} bytes, as Jupyter's own
 * kernels do (ipykernel sends every 200 ms), so small output still shows while the cell runs. The cell's end,
 * a {@code display(...)} and a read of stdin send what waits first, so text keeps its place before them.
 * Writes to stdout and stderr keep their order: each change of stream starts a new message.
 *
 * <p>What a cell shows is capped at {@value #MAX_LINES} lines or {@value #MAX_BYTES} bytes, stdout and stderr
 * together, whichever comes first; the rest is counted, not sent, and a closing line on stderr says how much
 * was left out and how to keep it all. Why these: a million bytes is what Jupyter's server passes per second
 * before it drops a kernel's output ("IOPub data rate exceeded", {@code iopub_data_rate_limit}); ten thousand
 * lines are some two hundred screens, more than anyone reads in a notebook, and still a notebook file and a
 * page the browser handles without stalling. A model summary, a training log or an array printout are well
 * under both.
 */
final class CellOutput {

    static final int MAX_LINES = 10_000;
    static final int MAX_BYTES = 1_000_000;
    static final int SEND_AFTER_MILLIS = 100;
    static final int SEND_AT_BYTES = 64 * 1024;

    private final PrintStream out;
    private final PrintStream err;
    private final PrintStream cellOut;
    private final PrintStream cellErr;

    /** Guards everything below; held only to queue or take, never while sending. */
    private final Object lock = new Object();
    /** Held while sending, so that messages leave one after the other in the order they were written. */
    private final Object sending = new Object();
    private final ArrayDeque<Chunk> waiting = new ArrayDeque<>();
    private int waitingBytes;
    private long waitingSince;
    private int shownLines;
    private int shownBytes;
    /** Whether stderr's shown text so far ends a line, so that a note starts on a line of its own. */
    private boolean errEndsLine = true;
    private long omittedLines;
    private long omittedBytes;
    private boolean omittedEndsLine = true;
    private boolean finished;

    /** A cell's output to be sent through {@code out} and {@code err}, one write and flush per message. */
    CellOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.cellOut = new PrintStream(new Stream(false), true, StandardCharsets.UTF_8);
        this.cellErr = new PrintStream(new Stream(true), true, StandardCharsets.UTF_8);
        Thread sender = new Thread(this::sendWhenDue, "shapelab-output");
        sender.setDaemon(true);
        sender.start();
    }

    /** The cell's {@code System.out}. */
    PrintStream out() {
        return cellOut;
    }

    /** The cell's {@code System.err}. */
    PrintStream err() {
        return cellErr;
    }

    /** The cell's {@code System.in}: {@code in}, sending the output that waits before each read (a prompt). */
    InputStream in(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                send(false);
                return super.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                send(false);
                return super.read(buffer, offset, length);
            }
        };
    }

    /** Sends the output that waits, then runs {@code message} (a display) before anything written later. */
    void sendBefore(Runnable message) {
        synchronized (sending) {
            send(false);
            message.run();
        }
    }

    /**
     * The cell has ended: sends all that waits and the count of what was left out. Writes from now on (a thread
     * the cell left running) go straight to the streams this output was made for, as without it.
     */
    void finish() {
        synchronized (sending) {
            synchronized (lock) {
                finished = true;
                if (omittedBytes > 0) {
                    queueNote(leftOutNote());
                }
                lock.notifyAll();
            }
            send(true);
        }
    }

    // ---- writing (the cell's threads) ----

    private void write(boolean toErr, byte[] bytes, int offset, int length) {
        if (length <= 0) {
            return;
        }
        synchronized (lock) {
            if (!finished) {
                int shown = shownPart(bytes, offset, length);
                if (shown > 0) {
                    queue(toErr, bytes, offset, shown);
                }
                if (shown < length) {
                    omit(bytes, offset + shown, length - shown);
                }
                return;
            }
        }
        synchronized (sending) {
            target(toErr).write(bytes, offset, length);
        }
    }

    /** How many of these bytes fit under the caps; a cut falls after a line's end or between characters. */
    private int shownPart(byte[] bytes, int offset, int length) {
        if (omittedBytes > 0 || shownLines >= MAX_LINES || shownBytes >= MAX_BYTES) {
            return 0;
        }
        int room = Math.min(length, MAX_BYTES - shownBytes);
        int lines = 0;
        int shown = 0;
        while (shown < room) {
            if (bytes[offset + shown++] == '\n' && shownLines + ++lines == MAX_LINES) {
                break;
            }
        }
        if (shown < length && shownLines + lines < MAX_LINES) {
            // cut at the byte cap: not inside a character's UTF-8 bytes
            while (shown > 0 && isContinuation(bytes[offset + shown])) {
                shown--;
            }
        }
        shownLines += lines;
        shownBytes += shown;
        return shown;
    }

    private void omit(byte[] bytes, int offset, int length) {
        if (omittedBytes == 0) {
            queueNote("[ShapeLab: output stops here: a cell shows at most " + limits()
                    + "; the cell runs on, and what it prints is counted, not shown.]\n");
        }
        long lines = 0;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        omittedLines += lines;
        omittedBytes += length;
        omittedEndsLine = bytes[offset + length - 1] == '\n';
    }

    private String leftOutNote() {
        long lines = omittedLines + (omittedEndsLine ? 0 : 1);
        return String.format(Locale.ROOT, "[ShapeLab: left out the last %,d line%s (%,d bytes) of this cell's output."
                        + " To see all of it, write it to a file and open that: var log = new PrintStream(\"output.txt\");"
                        + " log.println(...); log.close(); or print less, e.g. every 1000th step.]\n",
                lines, lines == 1 ? "" : "s", omittedBytes);
    }

    private static String limits() {
        return String.format(Locale.ROOT, "%,d lines or %,d bytes", MAX_LINES, MAX_BYTES);
    }

    private void queueNote(String note) {
        byte[] bytes = ((errEndsLine ? "" : "\n") + note).getBytes(StandardCharsets.UTF_8);
        queue(true, bytes, 0, bytes.length);
    }

    private void queue(boolean toErr, byte[] bytes, int offset, int length) {
        Chunk last = waiting.peekLast();
        if (last == null || last.toErr != toErr) {
            last = new Chunk(toErr);
            waiting.addLast(last);
        }
        last.append(bytes, offset, length);
        if (toErr) {
            errEndsLine = bytes[offset + length - 1] == '\n';
        }
        if (waitingBytes == 0) {
            waitingSince = System.nanoTime();
            lock.notifyAll();
        }
        int before = waitingBytes;
        waitingBytes += length;
        if (before < SEND_AT_BYTES && waitingBytes >= SEND_AT_BYTES) {
            lock.notifyAll();
        }
    }

    // ---- sending (this output's thread, the end of the cell, a display) ----

    private void sendWhenDue() {
        try {
            while (true) {
                synchronized (lock) {
                    long wait;
                    while (!finished && (wait = waitMillis()) != 0) {
                        lock.wait(Math.max(wait, 0));
                    }
                    if (finished) {
                        return;
                    }
                }
                send(false);
            }
        } catch (InterruptedException stopped) {
            // only finish() ends this thread, by its flag; nothing else interrupts it
        }
    }

    /** 0 when what waits is due to be sent, else how long to wait for it (-1: nothing waits, until woken). */
    private long waitMillis() {
        if (waitingBytes == 0) {
            return -1;
        }
        if (waitingBytes >= SEND_AT_BYTES) {
            return 0;
        }
        long left = SEND_AFTER_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince);
        return left <= 0 ? 0 : left;
    }

    /** Sends what waits, one message per chunk; unless {@code all}, keeps a character's first bytes for later. */
    private void send(boolean all) {
        synchronized (sending) {
            List<Chunk> batch;
            synchronized (lock) {
                batch = take(all);
            }
            for (Chunk chunk : batch) {
                PrintStream target = target(chunk.toErr);
                target.write(chunk.bytes, 0, chunk.length);
                target.flush();
            }
        }
    }

    private List<Chunk> take(boolean all) {
        List<Chunk> batch = new ArrayList<>(waiting);
        waiting.clear();
        waitingBytes = 0;
        if (!all && !batch.isEmpty()) {
            // A raw write (System.out.write, Files.copy to System.out) may end inside a character: its first
            // bytes wait for the rest, as each message is decoded on its own.
            Chunk last = batch.get(batch.size() - 1);
            int partial = partialCharacter(last.bytes, last.length);
            if (partial > 0) {
                last.length -= partial;
                queue(last.toErr, last.bytes, last.length, partial);
                if (last.length == 0) {
                    batch.remove(batch.size() - 1);
                }
            }
        }
        return batch;
    }

    private PrintStream target(boolean toErr) {
        return toErr ? err : out;
    }

    /** How many bytes at the end of {@code bytes[0, length)} begin a UTF-8 character they do not complete. */
    static int partialCharacter(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0 && i >= length - 4; i--) {
            if (!isContinuation(bytes[i])) {
                int lead = bytes[i] & 0xFF;
                int size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                return length - i < size ? length - i : 0;
            }
        }
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Consecutive writes to one stream: one message. */
    private static final class Chunk {
        final boolean toErr;
        byte[] bytes = new byte[256];
        int length;

        Chunk(boolean toErr) {
            this.toErr = toErr;
        }

        void append(byte[] source, int offset, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }
    }

    /** What the cell's PrintStreams write into. */
    private final class Stream extends OutputStream {
        private final boolean toErr;

        Stream(boolean toErr) {
            this.toErr = toErr;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            CellOutput.this.write(toErr, bytes, offset, length);
        }

        @Override
        public void flush() {
            // Nothing: the PrintStream flushes after every println, which is what made a message of each line.
            // Sending is timed instead.
        }
    }
}
