package dev.overlaynet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the places where a published signature names a type a user cannot (or must not) name:
 * one from a package that is not exported, or exported only to overlaynet's own modules.
 * Tests run on the class path, so the module descriptors are read from the compiled
 * module-info of each module's output (directory or jar), not from the runtime module.
 */
final class ApiSurface {
    private ApiSurface() {}

    /**
     * The packages of the module that contains {@code anchor}, split into API (exported to
     * everyone, and not named ".internal": netlink exports its libc binding package
     * unqualified only because jnr-ffi must reach it, see its module-info) and internal.
     */
    record ModulePackages(String module, Set<String> api, Set<String> internal, Path location) {
        static ModulePackages of(Class<?> anchor) {
            Path location = locationOf(anchor);
            ModuleReference ref = ModuleFinder.of(location).findAll().stream().findFirst()
                    .orElseThrow(() -> new AssertionError("no module-info.class in " + location));
            ModuleDescriptor d = ref.descriptor();
            Set<String> api = d.exports().stream()
                    .filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source)
                    .filter(p -> !p.contains(".internal"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> internal = new TreeSet<>(d.packages());
            internal.removeAll(api);
            return new ModulePackages(d.name(), api, internal, location);
        }

        /** Every class in the API packages, loaded without initialisation. */
        List<Class<?>> apiClasses() {
            return classNames(location).stream()
                    .filter(n -> api.contains(packageOf(n)))
                    .map(ApiSurface::load)
                    .collect(Collectors.toList());
        }
    }

    static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> classNames(Path location) {
        List<String> out = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> s = Files.walk(location)) {
                    s.map(p -> location.relativize(p).toString().replace('\\', '/'))
                            .filter(ApiSurface::isClassEntry)
                            .forEach(n -> out.add(toClassName(n)));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (isClassEntry(n)) {
                            out.add(toClassName(n));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    private static boolean isClassEntry(String n) {
        return n.endsWith(".class") && !n.endsWith("module-info.class")
                && !n.endsWith("package-info.class") && !n.startsWith("META-INF/");
    }

    private static String toClassName(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ApiSurface.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Every place in the accessible surface of {@code types} that names a type whose package
     * {@code internal} accepts, one line each ("where: what").
     */
    static List<String> offenders(List<Class<?>> types, Predicate<String> internal) {
        List<String> out = new ArrayList<>();
        for (Class<?> c : types) {
            if (!accessible(c)) {
                continue;
            }
            new Walker(c, internal, out).walk();
        }
        return out;
    }

    /** Public, or protected in a public class, all the way out; not synthetic. */
    static boolean accessible(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            int m = k.getModifiers();
            boolean ok = Modifier.isPublic(m)
                    || (Modifier.isProtected(m) && k.getDeclaringClass() != null && extensible(k.getDeclaringClass()));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A class whose protected members a user can reach by subclassing. */
    private static boolean extensible(Class<?> c) {
        if (c.isInterface() || Modifier.isFinal(c.getModifiers()) || c.isRecord() || c.isEnum()) {
            return false;
        }
        if (c.isSealed()) {
            return false;
        }
        return Arrays.stream(c.getDeclaredConstructors())
                .anyMatch(k -> Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers()));
    }

    private static final class Walker {
        private final Class<?> c;
        private final Predicate<String> internal;
        private final List<String> out;

        Walker(Class<?> c, Predicate<String> internal, List<String> out) {
            this.c = c;
            this.internal = internal;
            this.out = out;
        }

        void walk() {
            String self = c.getTypeName();
            check(self + " superclass", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(self + " implements", t);
            }
            typeParams(self, c.getTypeParameters());
            Set<String> componentAccessors = new TreeSet<>();
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    componentAccessors.add(rc.getName());
                    check(self + " record component " + rc.getName(), rc.getGenericType());
                }
            }
            boolean protectedReachable = extensible(c);
            for (Field f : c.getDeclaredFields()) {
                if (visible(f, protectedReachable)) {
                    check(self + "." + f.getName() + " (field)", f.getGenericType());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k, protectedReachable)) {
                    String where = self + ".<init>" + params(k.getParameterTypes());
                    typeParams(where, k.getTypeParameters());
                    for (Type t : k.getGenericParameterTypes()) {
                        check(where + " parameter", t);
                    }
                    for (Type t : k.getGenericExceptionTypes()) {
                        check(where + " throws", t);
                    }
                }
            }
            // Public methods inherited from a superclass the user cannot see are part of this
            // class's surface too.
            List<Method> methods = new ArrayList<>(Arrays.asList(c.getDeclaredMethods()));
            for (Class<?> s = c.getSuperclass(); s != null && s != Object.class && !accessible(s); s = s.getSuperclass()) {
                methods.addAll(Arrays.asList(s.getDeclaredMethods()));
            }
            for (Method m : methods) {
                if (!visible(m, protectedReachable) || m.isBridge()) {
                    continue;
                }
                if (m.getParameterCount() == 0 && componentAccessors.contains(m.getName())) {
                    continue; // reported as the record component
                }
                String where = self + "." + m.getName() + params(m.getParameterTypes());
                typeParams(where, m.getTypeParameters());
                check(where + " returns", m.getGenericReturnType());
                for (Type t : m.getGenericParameterTypes()) {
                    check(where + " parameter", t);
                }
                for (Type t : m.getGenericExceptionTypes()) {
                    check(where + " throws", t);
                }
            }
        }

        private static boolean visible(Member m, boolean protectedReachable) {
            int mod = m.getModifiers();
            if (m.isSynthetic()) {
                return false;
            }
            return Modifier.isPublic(mod) || (protectedReachable && Modifier.isProtected(mod));
        }

        private void typeParams(String where, TypeVariable<?>[] vars) {
            for (TypeVariable<?> v : vars) {
                for (Type b : v.getBounds()) {
                    check(where + " type parameter " + v.getName() + " bound", b);
                }
            }
        }

        private static String params(Class<?>[] ps) {
            return Arrays.stream(ps).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
        }

        private void check(String where, Type t) {
            Set<String> found = new TreeSet<>();
            collect(t, found);
            for (String name : found) {
                out.add(where + ": " + name);
            }
        }

        private void collect(Type t, Set<String> found) {
            if (t == null) {
                return;
            }
            if (t instanceof Class<?> k) {
                while (k.isArray()) {
                    k = k.getComponentType();
                }
                if (!k.isPrimitive() && internal.test(k.getPackageName())) {
                    found.add(k.getTypeName());
                }
            } else if (t instanceof ParameterizedType p) {
                collect(p.getRawType(), found);
                collect(p.getOwnerType(), found);
                for (Type a : p.getActualTypeArguments()) {
                    collect(a, found);
                }
            } else if (t instanceof GenericArrayType g) {
                collect(g.getGenericComponentType(), found);
            } else if (t instanceof WildcardType w) {
                for (Type b : w.getUpperBounds()) {
                    collect(b, found);
                }
                for (Type b : w.getLowerBounds()) {
                    collect(b, found);
                }
            }
            // A type variable's bounds are checked where it is declared.
        }
    }
}
