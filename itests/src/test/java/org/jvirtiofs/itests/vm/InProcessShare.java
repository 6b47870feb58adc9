package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.RequestObserver;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.vhostuser.BackendOptions;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.jvirtiofs.vhostuser.VhostUserBackend;

/** For guest tests that serve a provider from this JVM rather than through bin/jvirtiofsd. */
final class InProcessShare {
    private InProcessShare() {
    }

    /**
     * Serves {@code fs} over vhost-user on {@code dir}/{@code tag}.sock to one guest running
     * {@code image}, which mounts it as {@code tag}; {@code observer} hears of every request.
     */
    static GuestVm.Console serve(FuseFilesystem fs, RequestObserver observer, GuestImage image, Path dir, String tag)
            throws IOException, InterruptedException {
        Path socket = dir.resolve(tag + ".sock");
        FuseSession session = new FuseSession(fs, SessionOptions.defaults(), observer);
        try (VhostUserBackend backend = VhostUserBackend.listen(socket.toString(), BackendOptions.defaults(),
                RequestHandler.of(session::handle, session::mayBlock), session::handle)) {
            return new GuestVm(image, socket, tag, dir.resolve("console.log")).run();
        }
    }

    /** Runs {@code script} with bash on the host and returns its output; fails unless it exits 0. */
    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, script + " failed:\n" + out);
        return out;
    }
}
