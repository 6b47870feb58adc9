package org.jvirtiofs.vhostuser;

/**
 * A snapshot of a {@link VhostUserBackend}'s state and counters.
 *
 * @param running        whether the backend still listens
 * @param connected      whether a frontend is connected now
 * @param connections    frontends accepted since start
 * @param requestsServed request-queue chains completed
 * @param hiprioServed   hiprio-queue chains completed (FORGETs)
 * @param chainErrors    chains returned unread because they were malformed (bad address, loop, order)
 */
public record BackendStatus(boolean running, boolean connected, long connections,
                            long requestsServed, long hiprioServed, long chainErrors) {
}
