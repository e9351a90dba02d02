package dev.pulse.projection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.codec.CodecRegistry;
import io.r2dbc.postgresql.extension.CodecRegistrar;
import io.r2dbc.postgresql.message.Format;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Binds a {@link PgArray} as a binary parameter. Registered with every connection of the driver through its
 * extension mechanism ({@code META-INF/services/io.r2dbc.postgresql.extension.Extension}), ahead of the
 * built-in codecs. Encode only: Pulse reads no arrays back.
 */
public final class PgArrayCodec implements Codec<PgArray>, CodecRegistrar {

    @Override
    public Publisher<Void> register(PostgresqlConnection connection, ByteBufAllocator allocator, CodecRegistry registry) {
        registry.addFirst(this);
        return Mono.empty();
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof PgArray;
    }

    @Override
    public EncodedParameter encode(Object value) {
        PgArray array = (PgArray) value;
        // Deferred, so that each execution (a retry included) gets a buffer of its own to release.
        return new EncodedParameter(Format.FORMAT_BINARY, array.type().arrayOid,
                Mono.fromSupplier(() -> (ByteBuf) Unpooled.wrappedBuffer(array.wire(), 0, array.length())));
    }

    @Override
    public EncodedParameter encode(Object value, int dataType) {
        return encode(value);
    }

    @Override
    public boolean canEncodeNull(Class<?> type) {
        return false;
    }

    @Override
    public EncodedParameter encodeNull() {
        throw new UnsupportedOperationException("bind a null array with bindNull and an array class");
    }

    @Override
    public boolean canDecode(int dataType, Format format, Class<?> type) {
        return false;
    }

    @Override
    public PgArray decode(ByteBuf buffer, int dataType, Format format, Class<? extends PgArray> type) {
        throw new UnsupportedOperationException("PgArray is for parameters only");
    }
}
