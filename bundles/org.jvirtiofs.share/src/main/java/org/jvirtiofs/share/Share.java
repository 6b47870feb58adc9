package org.jvirtiofs.share;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.share.ShareStats;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running share: a provider behind a {@link SwitchableFilesystem}, one FUSE session, and a
 * transport. The session lives as long as the share, so the guest's mount survives every change
 * of provider; the transport starts with the first provider and is replaced only when its own
 * settings change.
 *
 * <p>Never throws into its caller for a bad configuration or a refusing host: it goes FAILED
 * with the reason. Every state change is synchronized on the share.
 */
final class Share {
    private static final Logger LOG = LoggerFactory.getLogger(Share.class);
    /** How long a swap waits for requests in flight to finish before giving up. */
    private static final long DRAIN_SECONDS = 30;
    private static final String REFUSED = "the last configuration was refused, it serves with the one before: ";

    private final String configId;
    private final ShareStatistics statistics = new ShareStatistics();
    private final ProviderGate gate;
    private final SwitchableFilesystem filesystem;
    private final FuseSession session;
    private final ShareWarmUps warmUps;
    private ShareSettings settings;
    private Transport transport;
    private FilesystemFactory factory;
    private Handover pending;
    private ShareState state = ShareState.WAITING;
    private String reason = "";

    /** A share for {@code settings}, not yet started, that never warms up. */
    Share(String configId, ShareSettings settings) {
        this(configId, settings, null);
    }

    /** A share for {@code settings}, not yet started, that offers {@code warmUps} its start. */
    Share(String configId, ShareSettings settings, ShareWarmUps warmUps) {
        this.configId = configId;
        this.settings = settings;
        this.warmUps = warmUps;
        this.gate = new ProviderGate(TimeUnit.SECONDS.toNanos(settings.suspendSeconds()));
        this.filesystem = new SwitchableFilesystem(gate);
        this.session = session(filesystem, statistics);
    }

    /** A share's session; a warm-up's is made here too, so both are of one make. */
    static FuseSession session(SwitchableFilesystem filesystem, ShareStatistics statistics) {
        return new FuseSession(filesystem, SessionOptions.defaults(), statistics);
    }

    /** A share that cannot run; kept so the operator sees why. */
    static Share failed(String configId, ShareSettings settings, String reason) {
        Share s = new Share(configId, settings);
        s.fail(reason);
        return s;
    }

    String configId() {
        return configId;
    }

    synchronized ShareSettings settings() {
        return settings;
    }

    synchronized ShareState state() {
        return state;
    }

    /** The provider factory in use, or null. */
    synchronized FilesystemFactory factory() {
        return factory;
    }

    /** A new configuration of this serving share was refused: it serves on as it was, and says so. */
    synchronized void refused(String why) {
        LOG.warn("share {}: the new configuration is refused ({}); it keeps serving with the one it has",
                settings.name(), why);
        reason = REFUSED + why;
    }

    /** Marks the share FAILED (e.g. a name or socket clash found by the manager). */
    synchronized void fail(String why) {
        state = ShareState.FAILED;
        reason = why;
        LOG.warn("share {} FAILED: {}", settings.name(), why);
    }

    /**
     * A provider of the share's type is available (at start, or later): serve with it. In a
     * share that lost its provider, the new one takes over what the old one handed over.
     */
    synchronized void providerAvailable(FilesystemFactory candidate) {
        if (factory != null || state == ShareState.FAILED) {
            return;
        }
        FuseFilesystem next;
        try {
            next = pending != null ? takeOverOrCreate(candidate, pending) : candidate.create(settings.providerOptions());
        } catch (FsException | RuntimeException e) {
            fail("provider " + settings.provider() + " refused the share: " + message(e));
            return;
        } finally {
            closePending();
        }
        try {
            filesystem.resume(next);
        } catch (FsException | RuntimeException e) {
            next.close();
            fail("provider " + settings.provider() + " cannot serve the mounted guest: " + message(e));
            return;
        }
        factory = candidate;
        if (state == ShareState.SUSPENDED) {
            statistics.swapped();
        }
        if (transport == null && !startTransport()) {
            return;
        }
        state = ShareState.RUNNING;
        reason = "";
        LOG.info("share {} serves {} with provider {} on {}", settings.name(), settings.source(),
                settings.provider(), settings.transport());
    }

    /**
     * The provider factory in use is going away (its bundle stops or updates): quiesce, keep its
     * handover for a replacement, and let requests wait for one (bounded, then EIO).
     */
    synchronized void providerGone(FilesystemFactory gone) {
        if (factory != gone) {
            return;
        }
        FuseFilesystem old;
        try {
            old = gate.quiesce(TimeUnit.SECONDS.toNanos(DRAIN_SECONDS));
        } catch (TimeoutException e) {
            LOG.warn("share {}: provider leaves with requests in flight ({})", settings.name(), e.getMessage());
            old = gate.current();
        }
        pending = filesystem.mounted() ? handover(old) : null;
        closeQuietly(old);
        factory = null;
        gate.open(null);
        state = ShareState.SUSPENDED;
        reason = "provider " + settings.provider() + " went away; requests wait " + settings.suspendSeconds()
                + " s for a replacement, then fail with EIO";
        LOG.warn("share {}: {}", settings.name(), reason);
    }

    /**
     * Replaces the provider under the live guest with one from {@code next} configured by
     * {@code nextSettings}; on failure the old provider keeps serving.
     *
     * @throws IllegalStateException with the reason when the swap cannot be done
     */
    synchronized void swap(FilesystemFactory next, ShareSettings nextSettings) {
        if (factory == null) {
            throw new IllegalStateException("share " + settings.name() + " is " + state + ", not serving");
        }
        FuseFilesystem old;
        try {
            old = gate.quiesce(TimeUnit.SECONDS.toNanos(DRAIN_SECONDS));
        } catch (TimeoutException e) {
            throw new IllegalStateException("share " + settings.name() + " did not quiesce: " + e.getMessage());
        }
        FuseFilesystem replacement;
        try {
            if (filesystem.mounted()) {
                Handover state = handover(old);
                try {
                    replacement = state != null ? takeOverOrCreate(next, state, nextSettings)
                            : next.create(nextSettings.providerOptions());
                } finally {
                    if (state != null) {
                        state.close();
                    }
                }
            } else {
                replacement = next.create(nextSettings.providerOptions());
            }
            filesystem.resume(replacement);
        } catch (FsException | RuntimeException e) {
            gate.open(old);
            throw new IllegalStateException("provider " + nextSettings.provider() + " refused: " + message(e));
        }
        closeQuietly(old);
        factory = next;
        settings = nextSettings;
        statistics.swapped();
        LOG.info("share {}: provider swapped to {} {}", settings.name(), settings.provider(),
                settings.providerOptions());
    }

    /**
     * Applies an edited configuration: another transport restarts only the transport; other
     * provider options or type swap the provider (the caller passes the factory to use).
     */
    synchronized void reconfigure(ShareSettings next, FilesystemFactory nextFactory) {
        ShareSettings before = settings;
        if (reason.startsWith(REFUSED)) {
            reason = "";
        }
        if (state == ShareState.FAILED || factory == null) {
            settings = next;
            return; // the manager restarts shares that are not serving
        }
        if (!before.providerOptions().equals(next.providerOptions()) || !before.provider().equals(next.provider())) {
            if (nextFactory == null) {
                fail("no provider of type '" + next.provider() + "' is installed");
                return;
            }
            try {
                swap(nextFactory, next);
            } catch (IllegalStateException e) {
                LOG.warn("share {}: configuration change not applied: {}", before.name(), e.getMessage());
                return;
            }
        }
        settings = next;
        if (!before.sameTransport(next)) {
            closeTransport();
            startTransport();
        }
    }

    /** Stops serving: transport, then provider; the share cannot be started again. */
    synchronized void stop() {
        if (warmUps != null) {
            warmUps.shareStopped(settings.name());
        }
        closeTransport();
        FuseFilesystem fs = gate.current();
        gate.open(null);
        closeQuietly(fs);
        closePending();
        factory = null;
        if (state != ShareState.FAILED) {
            state = ShareState.WAITING;
            reason = "stopped";
        }
    }

    synchronized ShareInfo info() {
        boolean connected = transport != null && transport.connected();
        return new ShareInfo(settings.name(), settings.provider(), settings.source(), settings.transport(), state,
                reason, connected, settings.providerOptions());
    }

    ShareStats stats() {
        Transport t;
        synchronized (this) {
            t = transport;
        }
        return statistics.snapshot(gate.inFlight(), t != null && t.connected());
    }

    /** Marks the share as waiting for its provider type. */
    synchronized void waiting() {
        if (state != ShareState.FAILED && factory == null && state != ShareState.SUSPENDED) {
            state = ShareState.WAITING;
            reason = "waiting for a provider of type '" + settings.provider() + "'";
        }
    }

    private boolean startTransport() {
        try {
            transport = Transport.open(settings, session);
            if (warmUps != null) {
                warmUps.started(settings, factory, statistics::anyServed);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            FuseFilesystem fs = gate.current();
            gate.open(null);
            closeQuietly(fs);
            factory = null;
            fail(message(e));
            return false;
        }
    }

    private void closeTransport() {
        Transport t = transport;
        transport = null;
        if (t != null) {
            t.close();
            session.destroy();
        }
    }

    private FuseFilesystem takeOverOrCreate(FilesystemFactory next, Handover from) throws FsException {
        return takeOverOrCreate(next, from, settings);
    }

    private static FuseFilesystem takeOverOrCreate(FilesystemFactory next, Handover from, ShareSettings with)
            throws FsException {
        try {
            return next.takeOver(with.providerOptions(), from);
        } catch (FsException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            LOG.warn("share {}: provider {} cannot take over; it starts empty and the guest's open files "
                    + "and cached entries go stale", with.name(), with.provider());
            return next.create(with.providerOptions());
        }
    }

    /** The old provider's state, or null if it cannot hand over (the replacement starts empty). */
    private Handover handover(FuseFilesystem old) {
        if (old == null) {
            return null;
        }
        try {
            return old.handover();
        } catch (FsException | RuntimeException e) {
            LOG.warn("share {}: provider {} gives no handover ({}); the guest's open files go stale",
                    settings.name(), settings.provider(), message(e));
            return null;
        }
    }

    private void closePending() {
        Handover h = pending;
        pending = null;
        if (h != null) {
            try {
                h.close();
            } catch (RuntimeException e) {
                LOG.warn("share {}: releasing a handover: {}", settings.name(), e.getMessage());
            }
        }
    }

    private void closeQuietly(FuseFilesystem fs) {
        if (fs == null) {
            return;
        }
        try {
            fs.close();
        } catch (RuntimeException e) {
            LOG.warn("share {}: closing provider {}: {}", settings.name(), settings.provider(), e.toString());
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (e instanceof FsException fe) {
            return m != null && !m.isBlank() ? m : Errno.name(fe.errno());
        }
        return m != null ? m : e.toString();
    }
}
