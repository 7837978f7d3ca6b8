package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.Objects;
import java.util.function.Consumer;

/** The public {@link AttributeWriter}/{@link AttributeReader} over the internal codec, for {@link LinkDriver}s. */
final class DriverAttributes {
    private DriverAttributes() {}

    static AttributeWriter writer(MessageWriter w) {
        return new Writer(w);
    }

    static AttributeReader reader(AttrReader a) {
        return new Reader(a);
    }

    private static final class Writer implements AttributeWriter {
        private final MessageWriter w;

        Writer(MessageWriter w) {
            this.w = w;
        }

        @Override
        public AttributeWriter flag(int type) {
            w.flag(type);
            return this;
        }

        @Override
        public AttributeWriter u8(int type, int value) {
            w.u8(type, value);
            return this;
        }

        @Override
        public AttributeWriter u16(int type, int value) {
            w.u16(type, value);
            return this;
        }

        @Override
        public AttributeWriter u32(int type, int value) {
            w.u32(type, value);
            return this;
        }

        @Override
        public AttributeWriter u64(int type, long value) {
            w.u64(type, value);
            return this;
        }

        @Override
        public AttributeWriter be16(int type, int value) {
            w.be16(type, value);
            return this;
        }

        @Override
        public AttributeWriter be32(int type, int value) {
            w.be32(type, value);
            return this;
        }

        @Override
        public AttributeWriter string(int type, String value) {
            w.string(type, Objects.requireNonNull(value, "value"));
            return this;
        }

        @Override
        public AttributeWriter bytes(int type, byte[] value) {
            w.bytes(type, Objects.requireNonNull(value, "value"));
            return this;
        }

        @Override
        public AttributeWriter nested(int type, Consumer<AttributeWriter> children) {
            int n = w.nestStart(type);
            children.accept(this);
            w.nestEnd(n);
            return this;
        }
    }

    private static final class Reader implements AttributeReader {
        private final AttrReader a;

        Reader(AttrReader a) {
            this.a = a;
        }

        @Override
        public boolean next() {
            return a.next();
        }

        @Override
        public int type() {
            return a.type();
        }

        @Override
        public int length() {
            return a.payloadLength();
        }

        @Override
        public int u8() {
            return a.u8();
        }

        @Override
        public int u16() {
            return a.u16();
        }

        @Override
        public int u32() {
            return a.u32();
        }

        @Override
        public long u64() {
            return a.u64();
        }

        @Override
        public int be16() {
            return a.be16();
        }

        @Override
        public int be32() {
            return a.be32();
        }

        @Override
        public String string() {
            return a.string();
        }

        @Override
        public byte[] bytes() {
            return a.bytes();
        }

        @Override
        public AttributeReader nested() {
            return new Reader(a.nested());
        }
    }
}
