package io.podfleet.platform.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.bean.PropertyValueBuffer;
import tools.jackson.databind.introspect.AnnotatedConstructor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;

/**
 * Builds records read from JSON through a method handle made once per record type. Jackson 3.1 calls a record's
 * canonical constructor with {@code MethodHandle.invokeWithArguments}, which adapts the handle again on every call:
 * a tenth of the time to read an agent report (about 300 records) went there. Types other than records, and records
 * whose constructor cannot be looked up, keep Jackson's own path.
 */
public final class RecordConstructors extends JacksonModule {

    @Override
    public String getModuleName() {
        return "podfleet-record-constructors";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        context.addValueInstantiators(new ValueInstantiators() {
            @Override
            public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription.Supplier type) {
                return null;
            }

            @Override
            public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier type,
                                                             ValueInstantiator found) {
                return withHandle(found);
            }
        });
    }

    static ValueInstantiator withHandle(ValueInstantiator found) {
        if (!found.canCreateFromObjectWith() || !found.getValueClass().isRecord()
                || !(found.getWithArgsCreator() instanceof AnnotatedConstructor creator)) {
            return found;
        }
        Constructor<?> constructor = creator.getAnnotated();
        try {
            constructor.setAccessible(true);
            MethodHandle spread = MethodHandles.lookup().unreflectConstructor(constructor)
                    .asSpreader(Object[].class, constructor.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object[].class));
            return new Spread(found, spread);
        } catch (IllegalAccessException | RuntimeException e) {
            return found;
        }
    }

    private static final class Spread extends ValueInstantiator.Delegating {
        private final MethodHandle constructor;

        Spread(ValueInstantiator delegate, MethodHandle constructor) {
            super(delegate);
            this.constructor = constructor;
        }

        @Override
        public ValueInstantiator createContextual(DeserializationContext ctxt, BeanDescription.Supplier type) {
            ValueInstantiator contextual = delegate().createContextual(ctxt, type);
            return contextual == delegate() ? this : withHandle(contextual);
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, SettableBeanProperty[] properties,
                                           PropertyValueBuffer buffer) throws JacksonException {
            return createFromObjectWith(ctxt, buffer.getParameters(ctxt, properties));
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) throws JacksonException {
            try {
                return (Object) constructor.invokeExact(args);
            } catch (JacksonException | Error e) {
                throw e;
            } catch (Throwable e) {
                // as Jackson reports a failing creator: a 400 naming the type, the cause attached
                return ctxt.handleInstantiationProblem(getValueClass(), args, e);
            }
        }
    }
}
