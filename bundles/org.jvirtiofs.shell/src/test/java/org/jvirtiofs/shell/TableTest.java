package org.jvirtiofs.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAlignedToTheWidestCellAndLinesHaveNoTrailingBlanks() {
        String text = new Table("NAME", "STATE", "REASON")
                .row("web", "RUNNING", "")
                .row("scratch-space", "FAILED", "no such directory: /x")
                .render();
        assertEquals("""
                NAME           STATE    REASON
                web            RUNNING
                scratch-space  FAILED   no such directory: /x
                """, text);
    }

    @Test
    void nullAndMissingCellsPrintEmpty() {
        assertEquals("A  B  C\nx     z\n1\n", new Table("A", "B", "C").row("x", null, "z").row("1").render());
    }

    @Test
    void aTableWithoutHeadersIsKeyValueLines() {
        Table t = new Table().row("name", "web").row("connected", "yes");
        assertEquals("name       web\nconnected  yes\n", t.render());
    }

    @Test
    void aTableWithOnlyItsHeaderIsEmpty() {
        assertTrue(new Table("A").isEmpty());
        assertTrue(new Table().isEmpty());
    }

    @Test
    void durationsReadWithThreeSignificantDigits() {
        assertEquals("0", Table.duration(0));
        assertEquals("850 ns", Table.duration(850));
        assertEquals("1.02 µs", Table.duration(1_023));
        assertEquals("12.3 µs", Table.duration(12_345));
        assertEquals("4.50 ms", Table.duration(4_500_000));
        assertEquals("262 ms", Table.duration(262_143_999));
        assertEquals("1.20 s", Table.duration(1_200_000_000));
        assertEquals("3600 s", Table.duration(3_600_000_000_000L));
    }

    @Test
    void byteCountsUseBinaryUnits() {
        assertEquals("0 B", Table.bytes(0));
        assertEquals("1023 B", Table.bytes(1023));
        assertEquals("1.00 KiB", Table.bytes(1024));
        assertEquals("1.50 KiB", Table.bytes(1536));
        assertEquals("10.0 MiB", Table.bytes(10L << 20));
        assertEquals("3.00 GiB", Table.bytes(3L << 30));
        assertEquals("8.00 EiB", Table.bytes(Long.MAX_VALUE));
    }

    @Test
    void ratesScaleToThousandsAndMillions() {
        assertEquals("0/s", Table.rate(0));
        assertEquals("12.0/s", Table.rate(12));
        assertEquals("0.50/s", Table.rate(0.5));
        assertEquals("1.53k/s", Table.rate(1530));
        assertEquals("2.10M/s", Table.rate(2_100_000));
    }

    @Test
    void yesNo() {
        assertEquals("yes", Table.yesNo(true));
        assertEquals("no", Table.yesNo(false));
    }
}
