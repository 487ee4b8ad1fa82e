/**
 * The books: per UTC day, the outstanding credits at its start and end and every movement between
 * ({@code GET /api/v1/admin/books}, CSV, the console's books page), kept cheap by a per-day rollup
 * behind a watermark ({@link com.imagina.credits.books.Books}); the reconciliation report includes
 * the books check ({@link com.imagina.credits.books.BooksCheck}); and the business metrics for
 * Prometheus ({@link com.imagina.credits.books.BusinessMetrics}).
 */
package com.imagina.credits.books;
