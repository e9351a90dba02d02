package dev.pulse.push.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** A frame's pieces arrive in the socket's buffer as one UTF-8 text, the same text the tests read. */
class TextFrameTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldJoinItemsWithCommasBetweenHeadAndTail() {
        TextFrame frame = TextFrame.joined("{\"type\":\"metrics\",\"families\":[",
                List.of(utf8("{\"family_id\":\"é-1\"}"), utf8("{\"family_id\":\"f-2\"}")), "]}");

        String expected = "{\"type\":\"metrics\",\"families\":[{\"family_id\":\"é-1\"},{\"family_id\":\"f-2\"}]}";
        assertThat(frame.text()).isEqualTo(expected);
        assertThat(frame.length()).isEqualTo(utf8(expected).length);
        DataBuffer written = frame.write(DefaultDataBufferFactory.sharedInstance);
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(written.readableByteCount()).isEqualTo(frame.length());
    }

    @Test
    void shouldJoinNoItemsAsAnEmptyArray() {
        assertThat(TextFrame.joined("[", List.of(), "]").text()).isEqualTo("[]");
    }

    @Test
    void shouldPutTheTypeFirstInsideTheObject() {
        assertThat(TextFrame.typedObject("{\"type\":\"detection\",", utf8("{\"detection_id\":\"d1\",\"status\":\"active\"}")).text())
                .isEqualTo("{\"type\":\"detection\",\"detection_id\":\"d1\",\"status\":\"active\"}");
    }
}
