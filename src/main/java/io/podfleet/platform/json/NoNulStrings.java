package io.podfleet.platform.json;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses a JSON string holding the NUL character ({@code \u0000}) wherever a request body is read: PostgreSQL
 * cannot store it in text, so such a value would fail its transaction with 500 (found on a clientId and an
 * enrollment token's hostname). The caller gets 400 naming the field instead.
 */
final class NoNulStrings extends SimpleModule {

    NoNulStrings() {
        super("podfleet-no-nul-strings");
        addDeserializer(String.class, new Checked());
    }

    private static final class Checked extends StdScalarDeserializer<String> {

        Checked() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(p, "must not contain the NUL character (\\u0000)", value, String.class);
            }
            return value;
        }

        @Override
        public tools.jackson.databind.type.LogicalType logicalType() {
            return tools.jackson.databind.type.LogicalType.Textual;
        }
    }
}
