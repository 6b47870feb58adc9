package org.jvirtiofs.fs.passthrough;

/** Every attack of {@link ConfinementMountTest} through a mount confined without openat2. */
class ConfinementFallbackMountTest extends ConfinementMountTest {
    @Override
    boolean openat2() {
        return false;
    }
}
