/**
 * Proof under load and faults: the tools and tests that show the service keeps its books exact when
 * pushed. {@code LoadClient} drives the engine's authorize → settle loop over real HTTP for
 * {@code bench/run}, which sets it against the database's own physical baseline (pgbench).
 * {@code FaultInjectionTest} runs the service as a separate process, kills it with SIGKILL at random
 * moments under 16 concurrent clients that retry with the same ids, and then checks the server's
 * balances against the test's own book of acknowledged answers to the millicredit.
 * {@code BadInputFuzzTest} sends thousands of malformed requests to every endpoint and demands a
 * problem+json 4xx for each, never a 500.
 */
package com.imagina.credits.proof;
