package org.jvirtiofs.share;

import java.io.IOException;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.vhostuser.BackendOptions;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.jvirtiofs.vhostuser.VhostUserBackend;

/** Where a share's FUSE session meets its guest: a vhost-user socket, or a /dev/fuse mount. */
sealed interface Transport extends AutoCloseable {

    /** Whether a guest (or, for /dev/fuse, the kernel) is attached now. */
    boolean connected();

    /** Stops serving: closes the socket or unmounts. */
    @Override
    void close();

    /** Starts the transport {@code settings} name, serving {@code session}. */
    static Transport open(ShareSettings settings, FuseSession session) throws IOException {
        if (settings.socket() != null) {
            BackendOptions options = BackendOptions.defaults().withThreadPoolSize(settings.threads());
            RequestHandler handler = handler(session);
            return new VhostUser(VhostUserBackend.listen(settings.socket(), options, handler, handler));
        }
        MountOptions options = MountOptions.defaults().withReaders(Math.max(1, settings.threads()));
        return new DevFuse(FuseMount.mount(settings.mountpoint(), session, options));
    }

    /**
     * The handler a vhost-user share's queues serve {@code session} with; a warm-up's is made here
     * too, so both are of one class. A VM that goes away leaves no nodes or open files behind.
     */
    static RequestHandler handler(FuseSession session) {
        return RequestHandler.onFrontendGone(RequestHandler.of(session::handle, session::mayBlock), session::destroy);
    }

    /** vhost-user: QEMU connects to the socket. */
    record VhostUser(VhostUserBackend backend) implements Transport {
        @Override
        public boolean connected() {
            return backend.status().connected();
        }

        @Override
        public void close() {
            backend.close();
        }
    }

    /** /dev/fuse: the share is mounted on the host. */
    record DevFuse(FuseMount mount) implements Transport {
        @Override
        public boolean connected() {
            return mount.isServing();
        }

        @Override
        public void close() {
            mount.close();
        }
    }
}
