package dev.pulse.push.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * A text frame as UTF-8 pieces, copied once, straight into the socket's (pooled) buffer. A {@code metrics}
 * frame is a hundred rows of shared JSON: joined as a {@code String} it was built in a growing
 * {@code StringBuilder}, copied to a {@code String}, then encoded to bytes again for every client, which with
 * a hundred clients was most of the server's allocation and young-GC pauses (docs/performance.md, live latency).
 */
final class TextFrame {

    private static final byte[] COMMA = {','};

    private final List<byte[]> pieces;
    private final int length;

    private TextFrame(List<byte[]> pieces, int length) {
        this.pieces = pieces;
        this.length = length;
    }

    /** A frame of one piece, already UTF-8 (as the JSON mapper writes it); not copied here. */
    static TextFrame of(byte[] utf8) {
        return new TextFrame(List.of(utf8), utf8.length);
    }

    /** {@code head}, then {@code items} separated by commas, then {@code tail}; the items are not copied here. */
    static TextFrame joined(String head, List<byte[]> items, String tail) {
        List<byte[]> pieces = new ArrayList<>(items.size() * 2 + 1);
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        pieces.add(headBytes);
        int length = headBytes.length;
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                pieces.add(COMMA);
                length++;
            }
            pieces.add(items.get(i));
            length += items.get(i).length;
        }
        byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
        pieces.add(tailBytes);
        return new TextFrame(pieces, length + tailBytes.length);
    }

    /** {@code head} followed by the JSON object {@code object} without its opening brace: {@code {"type":..., <fields>}}. */
    static TextFrame typedObject(String head, byte[] object) {
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[headBytes.length + object.length - 1];
        System.arraycopy(headBytes, 0, frame, 0, headBytes.length);
        System.arraycopy(object, 1, frame, headBytes.length, object.length - 1);
        return new TextFrame(List.of(frame), frame.length);
    }

    int length() {
        return length;
    }

    DataBuffer write(DataBufferFactory buffers) {
        DataBuffer buffer = buffers.allocateBuffer(length);
        for (byte[] piece : pieces) {
            buffer.write(piece);
        }
        return buffer;
    }

    /** The frame's text (tests, logs). */
    String text() {
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return new String(all, StandardCharsets.UTF_8);
    }
}
