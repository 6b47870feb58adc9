package org.jvirtiofs.api.share;

/**
 * An installed provider type.
 *
 * @param type the type shares name it by
 * @param bundle the symbolic name and version of the bundle registering it
 * @param handover whether it can take over a live share (hot swap keeps the guest's files)
 * @param shares how many shares use it now
 */
public record ProviderInfo(String type, String bundle, boolean handover, int shares) {
}
