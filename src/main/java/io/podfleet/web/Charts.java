package io.podfleet.web;

import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ECharts options built on the server, handed to the page as JSON in a {@code data-chart} attribute: the page needs
 * no chart code of its own, and the same data is in the HTML tables beside each chart for who has no JavaScript.
 */
final class Charts {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One line per series over a shared category axis (days, months, times); nulls are gaps. */
    record Line(String title, String yName, List<String> x, Map<String, List<? extends Number>> series) {
    }

    private Charts() {
    }

    static String line(Line line) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("title", Map.of("text", line.title(), "textStyle", Map.of("fontSize", 13)));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("top", 22, "type", "scroll"));
        option.put("grid", Map.of("left", 70, "right", 20, "top", 60, "bottom", 30));
        option.put("xAxis", Map.of("type", "category", "data", line.x()));
        option.put("yAxis", Map.of("type", "value", "name", line.yName(), "scale", true));
        List<Map<String, Object>> series = new ArrayList<>();
        // dots only where there are few points: a lone reading would otherwise draw nothing
        line.series().forEach((name, values) -> series.add(Map.of("name", name, "type", "line", "showSymbol", values.size() < 60,
                "connectNulls", false, "data", values)));
        option.put("series", series);
        return JSON.writeValueAsString(option);
    }
}
