package com.imagina.credits;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.ledger.Posting;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Boundaries between features, checked so they stay as the README describes them. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.imagina.credits");

    /** Main and test classes: a public type or member is public because some other package, main or test, uses it. */
    private static final JavaClasses MAIN_AND_TESTS = new ClassFileImporter().importPackages("com.imagina.credits");

    private static final Map<JavaClass, List<JavaClass>> NESTED = MAIN_AND_TESTS.stream()
            .filter(c -> c.getEnclosingClass().isPresent())
            .collect(java.util.stream.Collectors.groupingBy(c -> c.getEnclosingClass().get()));

    /**
     * Public only where needed, but public for a reason no access shows: Spring Boot loads the failure
     * analyzers by name from {@code META-INF/spring.factories}; {@code CreditsApplication} and its {@code main}
     * are the entry point; Tomcat may make the error report valve by its class name
     * ({@code StandardHost.setErrorReportValveClass}); {@code GroupCommit}'s settings are left to the group commit work in flight (issue 22).
     */
    private static final Set<String> PUBLIC_WITHOUT_A_USER = Set.of(
            "com.imagina.credits.CreditsApplication",
            "com.imagina.credits.CreditsApplication#<init>",
            "com.imagina.credits.CreditsApplication#main",
            "com.imagina.credits.system.db.EmbeddedPostgresFailureAnalyzer",
            "com.imagina.credits.system.db.EmbeddedPostgresFailureAnalyzer#<init>",
            "com.imagina.credits.system.security.MissingJwtSecretFailureAnalyzer",
            "com.imagina.credits.system.security.MissingJwtSecretFailureAnalyzer#<init>",
            "com.imagina.credits.system.TomcatProblemErrors$ProblemErrorReportValve",
            "com.imagina.credits.system.TomcatProblemErrors$ProblemErrorReportValve#<init>",
            "com.imagina.credits.system.db.GroupCommit$Settings",
            "com.imagina.credits.system.db.GroupCommit#enabled");

    /**
     * Only what another package uses is public (README "Packages"): a public type, constructor, method or
     * field of the main code is used from another package (main or test), or is listed in
     * {@link #PUBLIC_WITHOUT_A_USER}. Not counted: what Java makes public itself (enum constants,
     * {@code values}/{@code valueOf}, a record's accessors and canonical constructor) and a method that
     * implements or overrides a supertype's (its visibility is not ours to choose). Spring, Jackson and the
     * binder need none of it public: beans, {@code @Transactional}/{@code @Scheduled} methods, JSON records and
     * {@code @ConfigurationProperties} records are package-private throughout. A constant that javac inlines
     * leaves no access behind: list it if another package really uses it.
     */
    @Test
    void onlyWhatAnotherPackageUsesIsPublic() throws IOException {
        Map<String, String> sources = sourcesByFile();
        List<String> needless = new ArrayList<>();
        for (JavaClass c : MAIN_AND_TESTS) {
            if (!c.getPackageName().startsWith("com.imagina.credits") || isTest(c)) continue;
            if (c.getModifiers().contains(JavaModifier.PUBLIC) && !c.isAnonymousClass() && !usedElsewhere(c, sources)) {
                needless.add(c.getName());
            }
            for (JavaMember m : c.getMembers()) {
                if (!m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.SYNTHETIC)
                        || m.getModifiers().contains(JavaModifier.BRIDGE) || javaMakesItPublic(c, m) || overrides(c, m)) {
                    continue;
                }
                if (!usedElsewhere(m, sources)) needless.add(c.getName() + "#" + m.getName());
            }
        }
        needless.removeAll(PUBLIC_WITHOUT_A_USER);
        assertThat(needless).as("public, but no other package uses it: make it package-private").isEmpty();
    }

    /** The type, one of its members or one of its nested types is used from another package. */
    private static boolean usedElsewhere(JavaClass c, Map<String, String> sources) {
        return c.getDirectDependenciesToSelf().stream().anyMatch(d -> otherPackage(d.getOriginClass(), c))
                || c.getMembers().stream().anyMatch(m -> usedElsewhere(m, sources))
                || NESTED.getOrDefault(c, List.of()).stream().anyMatch(n -> usedElsewhere(n, sources));
    }

    /**
     * Accessed from another package; for a constant javac copies into its users (a static final String or
     * primitive), named there in the source ({@code Owner.NAME}) since the bytecode keeps no access.
     */
    private static boolean usedElsewhere(JavaMember m, Map<String, String> sources) {
        if (m.getAccessesToSelf().stream().anyMatch(a -> otherPackage(a.getOriginOwner(), m.getOwner()))) return true;
        if (!(m instanceof JavaField f) || !f.getModifiers().containsAll(Set.of(JavaModifier.STATIC, JavaModifier.FINAL))
                || !(f.getRawType().isPrimitive() || f.getRawType().isEquivalentTo(String.class))) {
            return false;
        }
        Pattern named = Pattern.compile("\\b" + Pattern.quote(m.getOwner().getSimpleName() + "." + m.getName()) + "\\b");
        String ownPackage = m.getOwner().getPackageName().replace('.', '/') + "/";
        return sources.entrySet().stream()
                .filter(e -> !e.getKey().substring(0, e.getKey().lastIndexOf('/') + 1).endsWith(ownPackage))
                .anyMatch(e -> named.matcher(e.getValue()).find());
    }

    private static Map<String, String> sourcesByFile() throws IOException {
        Map<String, String> sources = new HashMap<>();
        for (String root : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    sources.put(p.toString().replace('\\', '/'), Files.readString(p));
                }
            }
        }
        return sources;
    }

    private static boolean isTest(JavaClass c) {
        return c.getSource().map(s -> s.getUri().toString().contains("/test-classes/")).orElse(false);
    }

    private static boolean otherPackage(JavaClass user, JavaClass owner) {
        return !user.getPackageName().equals(owner.getPackageName());
    }

    private static boolean javaMakesItPublic(JavaClass c, JavaMember m) {
        if (c.isEnum()) {
            if (m instanceof JavaField f && f.getRawType().equals(c)) return true;
            if (m.getName().equals("values") || m.getName().equals("valueOf")) return true;
        }
        if (c.isRecord()) {
            List<JavaField> components = c.getFields().stream().filter(f -> !f.getModifiers().contains(JavaModifier.STATIC))
                    .toList();
            if (m instanceof JavaMethod method && method.getRawParameterTypes().isEmpty()
                    && components.stream().anyMatch(f -> f.getName().equals(m.getName()))) {
                return true;
            }
            // ArchUnit keeps fields unordered: the canonical constructor takes the components' types, in some order.
            if (m instanceof JavaConstructor ctor && ctor.getRawParameterTypes().stream().map(JavaClass::getName).sorted()
                    .toList().equals(components.stream().map(f -> f.getRawType().getName()).sorted().toList())) {
                return true;
            }
        }
        return false;
    }

    private static boolean overrides(JavaClass c, JavaMember m) {
        if (!(m instanceof JavaMethod method) || method.getModifiers().contains(JavaModifier.STATIC)) return false;
        // Same name and arity: a generic supertype's parameters are erased to their bounds (Converter<S, T>.convert(Object)).
        int arity = method.getRawParameterTypes().size();
        return Stream.concat(c.getAllRawSuperclasses().stream(), c.getAllRawInterfaces().stream())
                .flatMap(s -> s.getMethods().stream())
                .anyMatch(s -> s.getName().equals(method.getName()) && s.getRawParameterTypes().size() == arity
                        && !s.getModifiers().contains(JavaModifier.PRIVATE));
    }

    /** Each top-level package is a feature (or {@code system}); none depends on another in a circle. */
    @Test
    void noCyclesBetweenPackages() {
        slices().matching("com.imagina.credits.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** {@code system} (configuration, database, security, errors, the clock) serves every feature and knows none. */
    @Test
    void systemDependsOnNoFeature() {
        noClasses().that().resideInAPackage("..credits.system..")
                .should().dependOnClassesThat().resideInAnyPackage("..credits.ledger..", "..credits.turns..",
                        "..credits.payments..", "..credits.payouts..", "..credits.estimates..", "..credits.web..",
                        "..credits.accounts..", "..credits.audit..", "..credits.books..", "..credits.grants..",
                        "..credits.worlds..", "..credits.events..")
                .check(MAIN);
    }

    @Test
    void theLedgerDependsOnNoFeature() {
        noClasses().that().resideInAPackage("..credits.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("..credits.turns..", "..credits.payments..",
                        "..credits.payouts..", "..credits.estimates..", "..credits.web..", "..credits.accounts..")
                .check(MAIN);
    }

    /** Money paths call the outbox; the outbox knows none of them (it is SQL and the system package). */
    @Test
    void theEventsOutboxDependsOnNoFeature() {
        noClasses().that().resideInAPackage("..credits.events..")
                .should().dependOnClassesThat().resideInAnyPackage("..credits.ledger..", "..credits.turns..",
                        "..credits.payments..", "..credits.payouts..", "..credits.grants..", "..credits.accounts..",
                        "..credits.estimates..", "..credits.web..")
                .check(MAIN);
    }

    @Test
    void pricingIsPureCalculation() {
        noClasses().that().resideInAPackage("..credits.pricing..")
                .should().dependOnClassesThat().resideInAnyPackage("..credits.turns..", "..credits.ledger..",
                        "..credits.payments..", "..credits.payouts..", "..credits.estimates..", "..credits.web..")
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheWebPages() {
        noClasses().that().resideOutsideOfPackage("..credits.web..")
                .should().dependOnClassesThat().resideInAPackage("..credits.web..")
                .check(MAIN);
    }

    /**
     * Every money move is built by a named {@code Posting} factory ({@code purchase}, {@code refund},
     * {@code turnCharge}...): a record's canonical constructor cannot be private, so this says it instead.
     */
    @Test
    void onlyPostingsFactoriesBuildAPosting() {
        noClasses().that().doNotHaveFullyQualifiedName(Posting.class.getName())
                .should().callConstructorWhere(JavaCall.Predicates.target(AccessTarget.Predicates.declaredIn(Posting.class)))
                .check(MAIN);
    }

    /** One write path for money: only Ledger.java inserts ledger entries (and their keys, V113) or changes balances. */
    @Test
    void onlyTheLedgerWritesEntriesAndBalances() throws IOException {
        Pattern write = Pattern.compile("insert\\s+into\\s+(ledger_entries|entry_keys)|set\\s+balance_millicredits",
                Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> writers = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            return write.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(p -> p.getFileName().toString()).toList();
            assertThat(writers).containsExactly("Ledger.java");
        }
    }

    /**
     * One owner per table: every statement that writes {@code accounts} or {@code ledger_entries} lives in
     * {@code ledger} (a turn's statements embed its account step whole: {@code AccountHolds}, {@code
     * FreeTurns.RESERVE_SQL}, {@code Ledger}'s posting), and every statement that writes {@code turns} lives
     * in {@code turns}.
     */
    @Test
    void eachTableHasOneOwningPackage() throws IOException {
        assertThat(writersOutside("ledger", "update\\s+accounts|insert\\s+into\\s+accounts|held_millicredits\\s*=\\s*held"
                + "|insert\\s+into\\s+(ledger_entries|entry_keys)|free_turns_used\\s*=")).as("accounts / ledger_entries writers outside ledger")
                .isEmpty();
        assertThat(writersOutside("turns", "update\\s+turns|insert\\s+into\\s+turns"))
                .as("turns writers outside turns").isEmpty();
    }

    private static List<String> writersOutside(String owner, String regex) throws IOException {
        Pattern write = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        Path root = Path.of("src/main/java/com/imagina/credits");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !root.relativize(p).toString().startsWith(owner + "/"))
                    .filter(p -> {
                        try {
                            return write.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(p -> root.relativize(p).toString()).toList();
        }
    }
}
