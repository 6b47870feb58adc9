package org.jvirtiofs.share;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.jvirtiofs.vhostuser.warmup.WarmUp;

/**
 * The platform's warm-ups: a vhost-user share whose {@code warm-up} key asks for one rehearses
 * the request path ({@link WarmUp}) from its start until its guest's first request, as jvirtiofsd
 * does by default, so a VM's first work after boot does not run on cold code. Off by default
 * here: measured, it did not pay in the platform ({@link ShareSettings#DEFAULT_WARM_UP_SECONDS}).
 * The compiled code serves every share of the platform, so one warm-up runs at a time, and each
 * provider type is warmed once in the platform's life.
 */
final class ShareWarmUps {
    /** Sessions and handlers made as a share's are, so the code compiled on them is the guest's. */
    private static final WarmUp.Sessions SESSIONS = new WarmUp.Sessions() {
        @Override
        public FuseSession session(FuseFilesystem fs) {
            ProviderGate gate = new ProviderGate(0);
            gate.open(fs);
            return Share.session(new SwitchableFilesystem(gate), new ShareStatistics());
        }

        @Override
        public RequestHandler handler(FuseSession session) {
            return Transport.handler(session);
        }
    };

    private final Set<String> warmed = new HashSet<>();
    private WarmUp running;
    private String runningFor;

    /**
     * A share on {@code settings} started serving with {@code factory}: warm up for it unless
     * its settings say not to, its provider cannot be warmed up away from the share's data
     * ({@link WarmUp#supports}), another warm-up is running, or its provider type was warmed
     * already. {@code guestCame} ends it (asked between rounds).
     *
     * @return the warm-up started, or null
     */
    synchronized WarmUp started(ShareSettings settings, FilesystemFactory factory, BooleanSupplier guestCame) {
        if (settings.warmUpSeconds() == 0 || settings.socket() == null || !WarmUp.supports(settings.provider())
                || running != null && running.outcome() == null || !warmed.add(settings.provider())) {
            return null;
        }
        running = WarmUp.start("jvirtiofs-warm-up-" + settings.name(), factory, settings.providerOptions(),
                settings.warmUpSeconds(), guestCame, SESSIONS);
        runningFor = settings.name();
        return running;
    }

    /** The share named {@code name} stopped: a warm-up for it ends after its round at hand. */
    synchronized void shareStopped(String name) {
        if (running != null && name.equals(runningFor)) {
            running.stop();
        }
    }

    /** Ends the running warm-up, if any, and waits for it to clean up. */
    void stop() {
        WarmUp w;
        synchronized (this) {
            w = running;
        }
        if (w != null) {
            w.stopAndWait();
        }
    }
}
