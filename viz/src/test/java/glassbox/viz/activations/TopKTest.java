package glassbox.viz.activations;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TopKTest {
    @Test
    void keepsTheKLargestLikeASortedBruteForce() {
        Random r = new Random(7);
        int channels = 3, k = 5;
        TopK top = new TopK(channels, k);
        List<List<TopK.Hit>> all = new ArrayList<>();
        for (int c = 0; c < channels; c++) all.add(new ArrayList<>());
        for (int img = 0; img < 40; img++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        float v = (float) Math.round(r.nextGaussian() * 4) / 4; // many ties on purpose
                        TopK.Hit h = new TopK.Hit(v, img, y, x);
                        top.offer(c, h);
                        all.get(c).add(h);
                    }
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            all.get(c).sort(TopK.STRONGEST_FIRST);
            assertEquals(all.get(c).subList(0, k), top.hits(c));
        }
    }

    @Test
    void fewerHitsThanK() {
        TopK top = new TopK(1, 4);
        top.offer(0, new TopK.Hit(1, 0, 0, 0));
        top.offer(0, new TopK.Hit(3, 1, 0, 0));
        assertEquals(List.of(new TopK.Hit(3, 1, 0, 0), new TopK.Hit(1, 0, 0, 0)), top.hits(0));
        assertTrue(top.admits(0, -100));
    }
}
