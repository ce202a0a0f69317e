package glassbox.viz.activations;

import glassbox.viz.render.Raster;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Image files are fitted to the model, and every change is said. */
class InputsTest {
    /** A w x h picture: background {@code bg}, a centred square of {@code fg}. */
    static Raster square(int w, int h, int bg, int fg) {
        Raster r = new Raster(w, h, bg);
        r.fillRect(w / 4, h / 4, w / 2, h / 2, fg);
        return r;
    }

    @Test
    void aDarkOnLightDigitIsInvertedForAGreyModelAndSaysSo() {
        Inputs.Converted c = Inputs.convert(square(56, 56, Raster.WHITE, Raster.BLACK), "digit.png", 1, 28, 28, List.of("0", "1"));
        assertEquals(2, c.notes().size(), c.notes().toString());
        assertTrue(c.notes().get(0).startsWith("resized 56x56 to 28x28"), c.notes().toString());
        assertTrue(c.notes().get(1).startsWith("inverted"), c.notes().toString());
        assertEquals(0, c.data().pixel(0, 0, 0, 0));      // the white background became black
        assertEquals(255, c.data().pixel(0, 0, 14, 14));  // the black stroke became white
    }

    @Test
    void aLightOnDarkPictureOfTheRightSizeIsLeftAlone() {
        Inputs.Converted c = Inputs.convert(square(28, 28, Raster.BLACK, Raster.WHITE), "ok.png", 1, 28, 28, List.of("0"));
        assertEquals(List.of(), c.notes());
        assertEquals(255, c.data().pixel(0, 0, 14, 14));
    }

    @Test
    void shrinkingAveragesAndColourToGreyIsSaid() {
        Raster r = new Raster(4, 2, 0);
        r.set(0, 0, Raster.rgb(255, 0, 0)); // one red pixel in the first 2x2 block
        Inputs.Converted c = Inputs.convert(r, "red.png", 1, 1, 2, List.of());
        assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("converted colour to grey")), c.notes().toString());
        assertEquals(Math.round(0.299 * 255 / 4), c.data().pixel(0, 0, 0, 0)); // area average, not the nearest pixel
        assertEquals(0, c.data().pixel(0, 0, 0, 1));
    }
}
