package glassbox.viz.render;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {
    @Test
    void writesNumbersStringsListsAndMapsInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "conv1 \"a\"\n");
        m.put("n", 3);
        m.put("x", 0.1234567);
        m.put("nan", Double.NaN);
        m.put("shape", new int[]{6, 1, 5, 5});
        m.put("list", List.of(Map.of("k", 1.5f)));
        String j = Json.toJson(m);
        assertEquals("""
                {
                  "name": "conv1 \\"a\\"\\n",
                  "n": 3,
                  "x": 0.123457,
                  "nan": null,
                  "shape": [6, 1, 5, 5],
                  "list": [
                    {
                      "k": 1.5
                    }
                  ]
                }
                """, j);
    }
}
