package org.jvirtiofs.virtiofsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static DaemonOptions run(String... args) {
        CommandLine.Action action = CommandLine.parse(List.of(args));
        return assertInstanceOf(CommandLine.Run.class, action, action.toString()).options();
    }

    private static String invalid(String... args) {
        CommandLine.Action action = CommandLine.parse(List.of(args));
        return assertInstanceOf(CommandLine.Invalid.class, action, action.toString()).message();
    }

    @Test
    void rustStyleOptionsTakeValuesInlineOrAsTheNextArgument() {
        DaemonOptions o = run("--socket-path=/run/vfs.sock", "--shared-dir", "/srv/share", "--cache", "always",
                "--thread-pool-size=4", "--readonly", "--xattr", "--inode-file-handles=prefer",
                "--announce-submounts", "--translate-uid", "map:1000:0:1", "--log-level=debug", "--sandbox=none");
        assertEquals("/run/vfs.sock", o.socketPath());
        assertEquals("/srv/share", o.sharedDir());
        assertEquals("always", o.cache());
        assertEquals(4, o.threadPoolSize());
        assertTrue(o.readonly() && o.xattr() && o.announceSubmounts());
        assertEquals("prefer", o.inodeFileHandles());
        assertEquals("map:1000:0:1", o.translateUid());
        assertEquals("debug", o.logLevel());
        assertEquals(-1, o.fd());
    }

    @Test
    void aWarmUpOfTenSecondsIsTheDefaultAndZeroTurnsItOff() {
        assertEquals(10, run("--fd=3", "--shared-dir=/srv").warmUpSeconds());
        assertEquals(0, run("--fd=3", "--shared-dir=/srv", "--warm-up=0").warmUpSeconds());
        assertEquals(60, run("--fd=3", "--shared-dir=/srv", "--warm-up", "60").warmUpSeconds());
        assertEquals("--warm-up must be a number from 0 to 3600, not 'forever'",
                invalid("--fd=3", "--shared-dir=/srv", "--warm-up=forever"));
    }

    @Test
    void anOpenFilesLimitIsTakenAsTheRustVirtiofsdTakesIt() {
        assertEquals(-1, run("--fd=3", "--shared-dir=/srv").rlimitNofile(), "none given: the platform's");
        assertEquals(4096, run("--fd=3", "--shared-dir=/srv", "--rlimit-nofile=4096").rlimitNofile());
        assertEquals(0, run("--fd=3", "--shared-dir=/srv", "--rlimit-nofile", "0").rlimitNofile());
        assertEquals("--rlimit-nofile must be a number from 0 to 2147483647, not '-1'",
                invalid("--fd=3", "--shared-dir=/srv", "--rlimit-nofile=-1"));
        assertEquals("--rlimit-nofile must be a number from 0 to 2147483647, not 'many'",
                invalid("--fd=3", "--shared-dir=/srv", "--rlimit-nofile=many"));
    }

    @Test
    void aSocketGroupIsForASocketPath() {
        assertEquals("kvm", run("--socket-path=/tmp/s", "--shared-dir=/srv", "--socket-group=kvm").socketGroup());
        assertEquals(null, run("--socket-path=/tmp/s", "--shared-dir=/srv").socketGroup());
        assertEquals("--socket-group is for --socket-path: an inherited socket (--fd) is set up by whoever made it",
                invalid("--fd=3", "--shared-dir=/srv", "--socket-group", "kvm"));
        assertEquals("--socket-group needs a value", invalid("--socket-path=/tmp/s", "--shared-dir=/srv",
                "--socket-group="));
    }

    @Test
    void hardeningAskedForAndNotDoneIsSaid() {
        assertEquals(List.of(), run("--fd=3", "--shared-dir=/srv", "--seccomp=none", "-f").notEnforced());
        assertEquals(List.of(
                "--seccomp=kill: there is no seccomp filter; shares are confined by openat2 RESOLVE_BENEATH",
                "--modcaps=-chown: the process's capabilities stay as they are",
                "-o modcaps=+sys_admin: the process's capabilities stay as they are",
                "--security-label: security labels (SELinux) are not served",
                "--syslog: the log goes to standard error, not to syslog",
                "--allow-direct-io: the guest's O_DIRECT is not passed to the host (requests' buffers are not"
                        + " aligned as the host's direct I/O needs)",
                "-o allow_direct_io: the guest's O_DIRECT is not passed to the host (requests' buffers are not"
                        + " aligned as the host's direct I/O needs)"),
                run("--fd=3", "--shared-dir=/srv", "--seccomp=kill", "--modcaps", "-chown", "-o", "modcaps=+sys_admin",
                        "--security-label", "--syslog", "--allow-direct-io", "-o", "allow_direct_io").notEnforced());
        assertEquals(List.of("-o timeout=5: the cache timeouts follow --cache (never: 0, auto: 1 s, metadata and"
                + " always: a day)"), run("--fd=3", "-o", "source=/srv,timeout=5").notEnforced(),
                "the C daemon's cache timeout, which the cache mode decides here");
    }

    @Test
    void cStyleDashOOptionsAreUnderstood() {
        DaemonOptions o = run("--socket-path", "/tmp/s", "-o", "source=/srv,cache=none,xattr,flock,sandbox=none");
        assertEquals("/srv", o.sharedDir());
        assertEquals("never", o.cache(), "the C daemon's cache=none is never");
        assertTrue(o.xattr());
    }

    @Test
    void locksAreTakenOnTheHostUnlessTheCommandLineLeavesThemToTheGuest() {
        DaemonOptions plain = run("--fd=3", "--shared-dir=/srv");
        assertTrue(plain.posixLock());
        assertTrue(plain.flock());
        assertEquals(true, plain.providerOptions().get("posix-locks"));
        assertEquals(true, plain.providerOptions().get("flock"));
        DaemonOptions libvirt = run("--fd=3", "-o", "source=/srv,xattr,no_flock,no_posix_lock");
        assertFalse(libvirt.posixLock(), "libvirt's <lock posix='off' flock='off'/>");
        assertFalse(libvirt.flock());
        assertEquals(false, libvirt.providerOptions().get("posix-locks"));
        assertEquals(false, libvirt.providerOptions().get("flock"));
        DaemonOptions last = run("--fd=3", "-o", "source=/srv,no_posix_lock,no_flock", "-o", "posix_lock,flock");
        assertTrue(last.posixLock(), "the last word counts");
        assertTrue(last.flock());
    }

    @Test
    void zeroMessageOpensAreOnUnlessTurnedOff() {
        assertEquals(true, run("--fd=3", "--shared-dir=/srv").providerOptions().get("zero-message-open"));
        DaemonOptions off = run("--fd=3", "-o", "source=/srv,cache=always,no_zero_message_open");
        assertFalse(off.zeroMessageOpen());
        assertEquals(false, off.providerOptions().get("zero-message-open"));
        assertTrue(run("--fd=3", "-o", "source=/srv,no_zero_message_open", "-o", "zero_message_open")
                .zeroMessageOpen(), "the last word counts");
    }

    @Test
    void directWritesAreOffUnlessTurnedOn() {
        assertEquals(false, run("--fd=3", "--shared-dir=/srv").providerOptions().get("direct-write"));
        DaemonOptions on = run("--fd=3", "-o", "source=/srv,direct_write");
        assertTrue(on.directWrite());
        assertEquals(true, on.providerOptions().get("direct-write"));
        assertFalse(run("--fd=3", "-o", "source=/srv,direct_write", "-o", "no_direct_write").directWrite(),
                "the last word counts");
    }

    /** --allow-mmap was accepted and ignored until 2026-12-08; the provider now gets it. */
    @Test
    void allowMmapReachesTheProvider() {
        assertEquals(false, run("--fd=3", "--shared-dir=/srv").providerOptions().get("allow-mmap"));
        DaemonOptions on = run("--fd=3", "--shared-dir=/srv", "--cache=never", "--allow-mmap");
        assertTrue(on.allowMmap());
        assertEquals(true, on.providerOptions().get("allow-mmap"));
        assertEquals(List.of(), on.notEnforced());
    }

    /** --no-readdirplus and -o (no_)readdirplus were accepted and ignored until 2026-12-08. */
    @Test
    void readdirplusIsOnUnlessTurnedOff() {
        assertEquals(true, run("--fd=3", "--shared-dir=/srv").providerOptions().get("readdirplus"));
        assertEquals(false,
                run("--fd=3", "--shared-dir=/srv", "--no-readdirplus").providerOptions().get("readdirplus"));
        assertFalse(run("--fd=3", "-o", "source=/srv,no_readdirplus").readdirplus());
        assertTrue(run("--fd=3", "-o", "source=/srv,no_readdirplus", "-o", "readdirplus").readdirplus(),
                "the last word counts");
    }

    @Test
    void libvirtsInheritedSocketIsAnFd() {
        DaemonOptions o = run("--fd=3", "--shared-dir=/srv");
        assertEquals(3, o.fd());
        assertEquals(null, o.socketPath());
    }

    @Test
    void helpVersionAndCapabilitiesWinOverEverythingElse() {
        assertInstanceOf(CommandLine.Help.class, CommandLine.parse(List.of("--bogus-later", "--help")));
        assertInstanceOf(CommandLine.Help.class, CommandLine.parse(List.of("-h")));
        assertInstanceOf(CommandLine.Version.class, CommandLine.parse(List.of("-V")));
        assertInstanceOf(CommandLine.PrintCapabilities.class, CommandLine.parse(List.of("--print-capabilities")));
    }

    @Test
    void wrongCommandLinesSayWhatIsWrongInOneLine() {
        assertEquals("unknown option --bogus (see --help)", invalid("--bogus", "--shared-dir=/x", "--fd=3"));
        assertEquals("unknown option --bogus (see --help)", invalid("--shared-dir=/x", "--fd=3", "--bogus"));
        assertEquals("no directory to share: give --shared-dir=DIR (or -o source=DIR)", invalid("--fd=3"));
        assertEquals("give exactly one of --socket-path=PATH and --fd=FD", invalid("--shared-dir=/x"));
        assertEquals("give exactly one of --socket-path=PATH and --fd=FD",
                invalid("--shared-dir=/x", "--fd=3", "--socket-path=/s"));
        assertEquals("--cache must be one of always, auto, metadata, never, none, not 'sometimes'",
                invalid("--cache=sometimes"));
        assertEquals("--thread-pool-size must be a number from 0 to 1024, not 'many'",
                invalid("--thread-pool-size=many"));
        assertEquals("--socket-path needs a value", invalid("--socket-path"));
        assertEquals("unknown -o option colour (see --help)", invalid("-o", "colour=blue"));
        assertTrue(invalid("--sandbox=namespace").startsWith("--sandbox namespace is not implemented yet"));
        assertTrue(invalid("--fd=-2").startsWith("--fd must be a number"));
    }

    @Test
    void everyTranslationFormIsPassedOnWithColonSeparators() {
        DaemonOptions o = run("--socket-path=/s", "--shared-dir=/srv", "--translate-uid=squash-guest:0:1000:4294967295",
                "--translate-uid", "Squash-Host/1000/0/1", "--translate-uid=forbid-guest:5:2",
                "--translate-gid=guest:1:2:3", "--translate-gid=host;2;1;3");
        assertEquals("squash-guest:0:1000:4294967295,squash-host:1000:0:1,forbid-guest:5:2", o.translateUid());
        assertEquals("guest:1:2:3,host:2:1:3", o.providerOptions().get("gid-map"));
    }

    @Test
    void wrongTranslationsSayWhichFormsExist() {
        assertEquals("--translate-uid must be map:, guest:, host:, squash-guest:, squash-host: or forbid-guest:"
                + " followed by ids, not 'squash:0:1000:1'", invalid("--translate-uid=squash:0:1000:1"));
        assertEquals("--translate-gid forbid-guest takes 2 ids from 0 to 4294967295, not 'forbid-guest:0:1:1'",
                invalid("--translate-gid=forbid-guest:0:1:1"));
        assertEquals("--translate-uid map takes 3 ids from 0 to 4294967295, not 'map:0:1000:4294967296'",
                invalid("--translate-uid=map:0:1000:4294967296"));
        assertEquals("--translate-uid map takes 3 ids from 0 to 4294967295, not 'map'", invalid("--translate-uid=map"));
    }

    @Test
    void anXattrmapIsPassedOnAndImpliesXattr() {
        DaemonOptions o = run("--socket-path=/s", "--shared-dir=/srv", "--xattrmap",
                " :prefix:all:trusted.:user.virtiofs.: /bad/server//trusted./ :ok:all:::");
        assertEquals(":prefix:all:trusted.:user.virtiofs.: /bad/server//trusted./ :ok:all:::",
                o.providerOptions().get("xattrmap"));
        assertEquals(true, o.providerOptions().get("xattr"));
        assertEquals(":map::user.virtiofs.:", run("--fd=3", "-o", "source=/srv,xattrmap=:map::user.virtiofs.:")
                .xattrmap());
    }

    @Test
    void wrongXattrmapsNameTheRuleInOneLine() {
        assertEquals("--xattrmap rule 2: type 'prefx' is not one of prefix, ok, bad, unsupported, map",
                invalid("--xattrmap=:ok:all::: :prefx:all:::"));
        assertEquals("--xattrmap rule 1: scope 'both' is not one of client, server, all",
                invalid("--xattrmap=:ok:both:::"));
        assertEquals("--xattrmap rule 1: ends before its closing ':'", invalid("--xattrmap=:prefix:all:trusted.:user.vm."));
        assertEquals("--xattrmap rule 2: nothing may follow a map rule", invalid("--xattrmap=:map::user.: :ok:all:::"));
        assertEquals("--xattrmap needs at least one rule", invalid("--xattrmap=  "));
        assertEquals("-o xattrmap rule 1: ends before its closing ':'", invalid("-o", "xattrmap=:ok:all"));
    }

    @Test
    void providerOptionsCarryWhatThePassthroughFactoryNeeds() {
        DaemonOptions o = run("--socket-path=/s", "--shared-dir=/srv", "--readonly");
        assertEquals("/srv", o.providerOptions().get("source"));
        assertEquals(true, o.providerOptions().get("readonly"));
        assertEquals("map:0:1000:10,map:100:2000:1", run("--socket-path=/s", "--shared-dir=/srv",
                "--translate-uid=map:0:1000:10", "--translate-uid", "map:100:2000:1").providerOptions().get("uid-map"));
        assertEquals("auto", o.providerOptions().get("cache"));
    }
}
