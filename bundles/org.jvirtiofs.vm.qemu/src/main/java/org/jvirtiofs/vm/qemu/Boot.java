package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Choosing the accelerator of a boot: the one asked for, or with {@code auto} KVM first and TCG
 * when KVM is missing, QEMU cannot use it, or the guest prints nothing in time under it (on some
 * nested hosts KVM hangs guests).
 */
final class Boot {
    private Boot() {
    }

    /**
     * Launches QEMU ({@code binary}) for {@code s}.
     *
     * @param note told why a boot asked for auto runs under TCG
     * @throws IOException if QEMU does not come up under the accelerator it finally tries
     */
    static QemuProcess launch(VmSettings s, Path binary, Host host, List<QemuCommand.ShareDevice> devices, Path console,
            Path log, Consumer<String> note) throws IOException {
        if (s.accel() != VmSettings.Accel.AUTO) {
            return QemuProcess.launch(s, binary, s.accel(), devices, console, log);
        }
        String noKvm = host.kvmUnavailable();
        if (noKvm != null) {
            note.accept("KVM unavailable (" + noKvm + "): running under TCG");
            return QemuProcess.launch(s, binary, VmSettings.Accel.TCG, devices, console, log);
        }
        QemuProcess kvm;
        try {
            kvm = QemuProcess.launch(s, binary, VmSettings.Accel.KVM, devices, console, log);
        } catch (IOException e) {
            note.accept("KVM could not start the guest (" + e.getMessage() + "): running under TCG");
            return QemuProcess.launch(s, binary, VmSettings.Accel.TCG, devices, console, log);
        }
        try {
            if (s.kvmBootSeconds() == 0 || kvm.console().awaitOutput(s.kvmBootSeconds() * 1000L)) {
                return kvm;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kvm.kill();
        kvm.close();
        note.accept("the guest printed nothing within " + s.kvmBootSeconds() + " s under KVM: running under TCG");
        return QemuProcess.launch(s, binary, VmSettings.Accel.TCG, devices, console, log);
    }
}
