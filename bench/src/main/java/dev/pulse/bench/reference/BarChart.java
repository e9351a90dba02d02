package dev.pulse.bench.reference;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The benchmarks' charts: one horizontal bar per figure, drawn headless with the JDK alone (no plotting
 * library, no browser). Usage: {@code BarChart OUT.png "TITLE" "UNIT" label=value ...}.
 */
public final class BarChart {

    private static final int WIDTH = 900;
    private static final int BAR = 34;
    private static final int GAP = 14;
    private static final int LEFT = 230;
    private static final int TOP = 70;

    private BarChart() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].lastIndexOf('=');
            labels.add(args[i].substring(0, eq));
            values.add(Double.parseDouble(args[i].substring(eq + 1)));
        }
        draw(new File(args[0]), args[1], args[2], labels, values);
    }

    static void draw(File out, String title, String unit, List<String> labels, List<Double> values) throws IOException {
        int height = TOP + labels.size() * (BAR + GAP) + 40;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(new Color(0x22, 0x22, 0x22));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 20, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(unit, 20, 54);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int span = WIDTH - LEFT - 140;
        for (int i = 0; i < labels.size(); i++) {
            int y = TOP + i * (BAR + GAP);
            int w = (int) Math.round(values.get(i) / max * span);
            g.setColor(new Color(0x22, 0x22, 0x22));
            g.drawString(labels.get(i), 20, y + BAR / 2 + 5);
            g.setColor(labels.get(i).startsWith("pulse") ? new Color(0x1f, 0x6f, 0xb4) : new Color(0x9a, 0xa5, 0xb1));
            g.fillRect(LEFT, y, Math.max(w, 1), BAR);
            g.setColor(new Color(0x22, 0x22, 0x22));
            g.drawString("%,.0f".formatted(values.get(i)), LEFT + w + 8, y + BAR / 2 + 5);
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(LEFT, TOP - 6, LEFT, TOP + labels.size() * (BAR + GAP) - GAP + 6);
        g.dispose();
        ImageIO.write(image, "png", out);
    }
}
