package dev.pulse.web;

import dev.pulse.projection.CounterRowView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The geometry of the family page's score chart, an inline SVG the server renders (no script needed).
 * Built from the family's tumbling counter rows of {@code EngagementScoreUpdated}: of the windows configured,
 * the finest one that has rows, one point per window (its average score, and its minimum..maximum when the
 * window saw several scores), placed at the window's start. Scores are 0..100, so the y axis is fixed.
 *
 * @param size    the window the points are per ({@code 1m}), or null when there are no points
 * @param points  oldest first
 * @param line    the SVG {@code points} attribute of the line through the averages
 * @param summary one sentence for screen readers
 */
public record ScoreChart(String size, List<Point> points, String line, List<Tick> yTicks, List<Tick> xTicks, String summary) {

    static final int WIDTH = 720;
    static final int HEIGHT = 240;
    static final int LEFT = 40;
    static final int RIGHT = 14;
    static final int TOP = 12;
    static final int BOTTOM = 30;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** One window's scores; {@code x}, {@code y} (average), {@code yMin}, {@code yMax} in SVG units. */
    public record Point(Instant at, BigDecimal average, BigDecimal min, BigDecimal max, long count,
                 double x, double y, double yMin, double yMax) {

        public boolean ranged() {
            return min != null && max != null && min.compareTo(max) != 0;
        }

        public String label() {
            String when = LABEL.format(at) + " UTC";
            return ranged() ? when + ": average " + plain(average) + " of " + count + " scores (" + plain(min) + ".." + plain(max) + ")"
                    : when + ": " + plain(average);
        }
    }

    public record Tick(double position, String label) {
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return WIDTH - RIGHT;
    }

    public int top() {
        return TOP;
    }

    public int bottom() {
        return HEIGHT - BOTTOM;
    }

    static ScoreChart of(List<CounterRowView> rows, Integer current) {
        List<CounterRowView> scored = rows.stream().filter(r -> r.avgValue() != null).toList();
        List<Tick> yTicks = new ArrayList<>();
        // The alert thresholds of SPEC §3.1 (critical < 30, warning < 50, watch < 70) as grid lines.
        for (int score : new int[] {0, 30, 50, 70, 100}) {
            yTicks.add(new Tick(y(score), Integer.toString(score)));
        }
        if (scored.isEmpty()) {
            return new ScoreChart(null, List.of(), "", yTicks, List.of(), "No score in the last 30 days of this family's stream.");
        }
        // The finest window: its points are the closest to the individual scores.
        Map<String, List<CounterRowView>> bySize = scored.stream().collect(Collectors.groupingBy(CounterRowView::size));
        List<CounterRowView> finest = bySize.values().stream()
                .min(Comparator.comparing((List<CounterRowView> g) -> Duration.between(g.get(0).windowStart(), g.get(0).windowEnd())))
                .orElseThrow().stream()
                .sorted(Comparator.comparing(CounterRowView::windowStart))
                .toList();
        Instant from = finest.get(0).windowStart();
        Instant to = finest.get(finest.size() - 1).windowStart();
        if (!to.isAfter(from)) {  // a single window: centre it in an hour's span
            from = from.minus(Duration.ofMinutes(30));
            to = to.plus(Duration.ofMinutes(30));
        }
        double spanMs = Duration.between(from, to).toMillis();
        List<Point> points = new ArrayList<>(finest.size());
        StringBuilder line = new StringBuilder();
        for (CounterRowView r : finest) {
            double x = LEFT + Duration.between(from, r.windowStart()).toMillis() / spanMs * (WIDTH - LEFT - RIGHT);
            double y = y(r.avgValue().doubleValue());
            Point p = new Point(r.windowStart(), r.avgValue(), r.minValue(), r.maxValue(), r.eventCount(), round(x), round(y),
                    round(y(r.minValue() == null ? r.avgValue().doubleValue() : r.minValue().doubleValue())),
                    round(y(r.maxValue() == null ? r.avgValue().doubleValue() : r.maxValue().doubleValue())));
            points.add(p);
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(p.x()).append(',').append(p.y());
        }
        Instant middle = from.plus(Duration.between(from, to).dividedBy(2));
        List<Tick> xTicks = List.of(new Tick(LEFT, LABEL.format(from)),
                new Tick(LEFT + (WIDTH - LEFT - RIGHT) / 2.0, LABEL.format(middle)),
                new Tick(WIDTH - RIGHT, LABEL.format(to)));
        String size = finest.get(0).size();
        Point last = points.get(points.size() - 1);
        String summary = "Engagement score per " + size + " window, " + points.size() + " windows from "
                + LABEL.format(finest.get(0).windowStart()) + " to " + LABEL.format(last.at()) + " UTC; latest "
                + plain(last.average()) + (current == null ? "" : ", current score " + current) + ".";
        return new ScoreChart(size, List.copyOf(points), line.toString(), yTicks, xTicks, summary);
    }

    private static double y(double score) {
        return TOP + (100 - score) / 100 * (HEIGHT - TOP - BOTTOM);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String plain(BigDecimal value) {
        BigDecimal scaled = value.setScale(Math.min(1, Math.max(0, value.stripTrailingZeros().scale())), RoundingMode.HALF_EVEN);
        return scaled.stripTrailingZeros().toPlainString();
    }
}
