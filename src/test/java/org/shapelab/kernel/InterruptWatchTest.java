package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watch that stops an interrupted busy cell in IJava and JJava, on threads named and running as theirs do:
 * IJava's and JJava's cell threads, the cell's code recognised by a frame of {@link BusyCell} (JShell's REPL
 * classes in a kernel).
 */
class InterruptWatchTest {

    /** A cell that never looks at its interrupt flag: {@code while (true) {}}, with a counter to keep it honest. */
    static final class BusyCell implements Runnable {
        final CountDownLatch running = new CountDownLatch(1);
        final AtomicReference<Throwable> endedBy = new AtomicReference<>();
        volatile long turns;

        @Override
        public void run() {
            running.countDown();
            try {
                while (true) {
                    turns++;
                }
            } catch (Throwable stopped) {
                endedBy.set(stopped);
                throw stopped;
            }
        }
    }

    private static InterruptWatch watch() {
        return new InterruptWatch(InterruptWatch.CELL_THREADS,
                frame -> frame.getClassName().equals(BusyCell.class.getName()), 500);
    }

    @Test
    @Timeout(30)
    void anInterruptedBusyCellIsStoppedAfterTheGracePeriod() throws Exception {
        BusyCell cell = new BusyCell();
        Thread thread = new Thread(cell, "IJava-executor-7");
        thread.setDaemon(true);
        thread.start();
        cell.running.await();
        InterruptWatch watch = watch();
        long now = 1_000;
        watch.check(now);
        thread.interrupt();                   // what IJava's interrupt does: Future.cancel(true)
        watch.check(now + 100);
        watch.check(now + 400);
        Thread.sleep(200);
        assertTrue(thread.isAlive(), "not stopped within the grace period");
        watch.check(now + 700);
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(thread.isAlive(), "the busy loop ran on after the grace period");
        assertInstanceOf(ThreadDeath.class, cell.endedBy.get());
    }

    @Test
    @Timeout(30)
    void onlyInterruptedCellThreadsAreStopped() throws Exception {
        BusyCell notInterrupted = new BusyCell();
        BusyCell otherThread = new BusyCell();
        Thread a = new Thread(notInterrupted, "JJava-executor-0");
        Thread b = new Thread(otherThread, "shapelab-cell");
        for (Thread t : List.of(a, b)) {
            t.setDaemon(true);
            t.start();
        }
        notInterrupted.running.await();
        otherThread.running.await();
        b.interrupt();
        InterruptWatch watch = watch();
        for (long at = 0; at <= 3_000; at += 250) {
            watch.check(at);
        }
        Thread.sleep(300);
        assertTrue(a.isAlive() && b.isAlive());
        assertTrue(notInterrupted.endedBy.get() == null && otherThread.endedBy.get() == null);
        a.stop();
        b.stop();
    }

    @Test
    @Timeout(30)
    void theDaemonStopsACellThroughRealTime() throws Exception {
        BusyCell cell = new BusyCell();
        Thread thread = new Thread(cell, "JJava-executor-3");
        thread.setDaemon(true);
        thread.start();
        cell.running.await();
        Thread daemon = InterruptWatch.daemon(watch());
        try {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive());
            assertInstanceOf(ThreadDeath.class, cell.endedBy.get());
        } finally {
            daemon.interrupt();
        }
    }
}
