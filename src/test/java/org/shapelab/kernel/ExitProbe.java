package org.shapelab.kernel;

/**
 * A JVM with {@link ExitGuard} installed, for KernelSurvivalTest: a cell's thread is refused its exit, then a
 * thread of the kernel's (as the parent-death hook in ShapeLabKernel.main) ends the JVM with the code given.
 */
final class ExitProbe {

    private ExitProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("installed: " + ExitGuard.install());
        Thread cell = new Thread(() -> {
            ExitGuard.enterCell();
            try {
                System.exit(1);
            } catch (ExitRefusedException refused) {
                System.out.println("refused: " + refused.getMessage().lines().findFirst().orElseThrow());
            }
        });
        cell.start();
        cell.join();
        Thread kernel = new Thread(() -> System.exit(Integer.parseInt(args[0])));
        kernel.start();
        kernel.join();
        System.out.println("still running");
    }
}
