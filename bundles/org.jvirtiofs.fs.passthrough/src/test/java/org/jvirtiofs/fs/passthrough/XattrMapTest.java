package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.fs.passthrough.XattrMap.Rule;
import org.jvirtiofs.fs.passthrough.XattrMap.Type;
import org.junit.jupiter.api.Test;

/** virtiofsd's xattrmap rules: parsing, the first matching rule, both directions. */
class XattrMapTest {
    private static XattrMap map(String text) {
        return XattrMap.parse("xattrmap", text);
    }

    private static String rejected(String text) {
        return assertThrows(IllegalArgumentException.class, () -> map(text)).getMessage();
    }

    @Test
    void rulesParseWithAnyDelimiterAndWhitespaceBetween() {
        assertEquals(List.of(new Rule(Type.PREFIX, true, false, "trusted.", "user.virtiofs."),
                new Rule(Type.BAD, false, true, "", "trusted."),
                new Rule(Type.OK, true, true, "", "")),
                map(" :prefix:client:trusted.:user.virtiofs.:\n/bad/server//trusted./ |ok|all||| ").rules());
        assertEquals(2, map(":prefix:all::user.virtiofs.::bad:all:::").rules().size(), "no space needed");
    }

    @Test
    void prefixAddsOnTheWayInAndStripsOnTheWayOut() throws Exception {
        XattrMap m = map(":prefix:all::user.virtiofs.:");
        assertEquals("user.virtiofs.trusted.x", m.toHost("trusted.x"));
        assertEquals("trusted.x", m.toGuest("user.virtiofs.trusted.x"));
        assertNull(m.toGuest("user.plain"), "no rule matches: hidden");
        assertNull(m.toGuest("user.virtiofs."), "nothing left after stripping: hidden");
    }

    @Test
    void theFirstMatchingRuleWins() throws Exception {
        XattrMap m = map("/prefix/all/trusted./user.virtiofs./ /bad/server//trusted./"
                + " /bad/client/user.virtiofs.// /ok/all///");
        assertEquals("user.virtiofs.trusted.a", m.toHost("trusted.a"));
        assertEquals("user.b", m.toHost("user.b"));
        assertErrno(Errno.EPERM, () -> m.toHost("user.virtiofs.c"));
        assertEquals("trusted.a", m.toGuest("user.virtiofs.trusted.a"));
        assertNull(m.toGuest("trusted.host"));
        assertEquals("security.selinux", m.toGuest("security.selinux"));
    }

    @Test
    void badIsEpermUnsupportedIsEopnotsuppAndBothHide() {
        XattrMap m = map(":bad:all:security.:security.: :unsupported:all:system.:system.: :ok:all:::");
        assertErrno(Errno.EPERM, () -> m.toHost("security.capability"));
        assertErrno(Errno.EOPNOTSUPP, () -> m.toHost("system.posix_acl_access"));
        assertNull(m.toGuest("security.capability"));
        assertNull(m.toGuest("system.posix_acl_access"));
    }

    @Test
    void aGuestNameNoRuleMatchesIsEinval() {
        assertErrno(Errno.EINVAL, () -> map(":ok:client:user.::").toHost("trusted.x"));
    }

    @Test
    void mapWithAnEmptyKeyPrefixesEverythingAndHidesTheRest() throws Exception {
        XattrMap m = map(":map::user.virtiofs.:");
        assertEquals("user.virtiofs.security.x", m.toHost("security.x"));
        assertEquals("security.x", m.toGuest("user.virtiofs.security.x"));
        assertNull(m.toGuest("user.host"));
    }

    @Test
    void mapWithAKeyPrefixesOnlyThoseAndGuardsThePrefix() throws Exception {
        XattrMap m = map(":ok:client:user.keep:: :map:trusted.:user.virtiofs.:");
        assertEquals("user.keep.a", m.toHost("user.keep.a"), "an earlier rule still wins");
        assertEquals("user.virtiofs.trusted.a", m.toHost("trusted.a"));
        assertErrno(Errno.EPERM, () -> m.toHost("user.virtiofs.trusted.a"));
        assertEquals("security.selinux", m.toHost("security.selinux"));
        assertEquals("trusted.a", m.toGuest("user.virtiofs.trusted.a"));
        assertNull(m.toGuest("trusted.host"), "the host's own trusted. names stay hidden");
        assertEquals("user.other", m.toGuest("user.other"));
    }

    @Test
    void malformedMapsNameTheRuleAndWhatIsWrong() {
        assertEquals("xattrmap rule 2: type 'prefx' is not one of prefix, ok, bad, unsupported, map",
                rejected(":ok:all::: :prefx:all:::"));
        assertEquals("xattrmap rule 1: scope 'both' is not one of client, server, all",
                rejected(":ok:both:::"));
        assertEquals("xattrmap rule 1: ends before its closing ':'", rejected(":prefix:all:trusted.:user.vm."));
        assertEquals("xattrmap rule 2: nothing may follow a map rule", rejected(":map::user.: :ok:all:::"));
    }

    @Test
    void noMapPassesEveryName() throws Exception {
        assertEquals("trusted.x", map("  ").toHost("trusted.x"));
        assertEquals("trusted.x", XattrMap.NONE.toGuest("trusted.x"));
    }
}
