package org.jvirtiofs.fs.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The chunk index: the answers of a sorted map, checked against a TreeMap doing the same. */
class ChunkMapTest {
    private static final int SIZE = 16;

    @Test
    void emptyHasNoChunksAnywhere() {
        ChunkMap map = new ChunkMap();
        assertEquals(0, map.size());
        assertNull(map.get(0));
        assertFalse(map.contains(Long.MAX_VALUE / SIZE));
        assertEquals(-1, map.higher(0));
        assertEquals(0, map.count(0, Long.MAX_VALUE - 1));
        assertEquals(0, map.removeRange(0, Long.MAX_VALUE));
    }

    @Test
    void aChunkIsMadeOnceZeroedAndFoundAgain() {
        ChunkMap map = new ChunkMap();
        ByteBuffer far = map.getOrAdd(1L << 40, SIZE);
        assertEquals(SIZE, far.capacity());
        assertTrue(far.hasArray() && !far.isDirect());
        assertEquals(0, far.getLong(0));
        far.putLong(0, 42);
        assertSame(far, map.getOrAdd(1L << 40, SIZE), "not made again");
        assertSame(far, map.get(1L << 40));
        assertEquals(1, map.size());
        assertEquals(1L << 40, map.higher(0));
        assertEquals(-1, map.higher(1L << 40));
    }

    @Test
    void removingARangeKeepsWhatIsOutsideIt() {
        ChunkMap map = new ChunkMap();
        for (long i = 0; i < 10; i++) {
            map.getOrAdd(i * 2, SIZE); // 0, 2, ..., 18
        }
        assertEquals(3, map.removeRange(3, 9), "4, 6 and 8");
        assertEquals(7, map.size());
        assertTrue(map.contains(2) && map.contains(10) && !map.contains(4) && !map.contains(8));
        assertEquals(0, map.removeRange(5, 5), "an empty range");
        assertEquals(0, map.removeRange(9, 3), "a backwards one");
        assertEquals(4, map.removeRange(11, Long.MAX_VALUE), "12 to 18");
        assertEquals(10, map.higher(2));
        map.clear();
        assertEquals(0, map.size());
        assertNull(map.get(0));
    }

    @Test
    void randomOperationsAgreeWithATreeMap() {
        Random random = new Random(7);
        ChunkMap map = new ChunkMap();
        TreeMap<Long, ByteBuffer> model = new TreeMap<>();
        for (int step = 0; step < 20_000; step++) {
            long a = random.nextInt(600);
            long b = random.nextInt(600);
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    ByteBuffer chunk = map.getOrAdd(a, SIZE);
                    ByteBuffer expected = model.computeIfAbsent(a, i -> chunk);
                    assertSame(expected, chunk, "getOrAdd " + a);
                }
                case 2 -> assertSame(model.get(a), map.get(a), "get " + a);
                case 3 -> {
                    Long next = model.higherKey(a);
                    assertEquals(next == null ? -1 : next, map.higher(a), "higher " + a);
                }
                case 4 -> assertEquals(a > b ? 0 : model.subMap(a, true, b, true).size(), map.count(a, b),
                        "count " + a + ".." + b);
                default -> {
                    // removals are rare and short (empty or backwards now and then), so the maps grow
                    if (random.nextInt(8) != 0) {
                        break;
                    }
                    long to = a + random.nextInt(40) - 4;
                    int expected = 0;
                    if (a < to) {
                        Map<Long, ByteBuffer> range = model.subMap(a, true, to, false);
                        expected = range.size();
                        range.clear();
                    }
                    assertEquals(expected, map.removeRange(a, to), "removeRange " + a + ".." + to);
                }
            }
            assertEquals(model.size(), map.size());
        }
        assertTrue(model.size() > 100, "the run grew the map: " + model.size());
        for (Map.Entry<Long, ByteBuffer> e : model.entrySet()) {
            assertSame(e.getValue(), map.get(e.getKey()));
        }
    }
}
