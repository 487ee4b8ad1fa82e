package com.imagina.credits;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.ledger.Posting;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Boundaries between features, checked so they stay as the README describes them. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.imagina.credits");

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
                        "..credits.freeturns..", "..credits.worlds..", "..credits.events..")
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
