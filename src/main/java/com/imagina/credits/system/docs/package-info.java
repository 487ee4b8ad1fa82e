/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): tags by feature,
 * summaries, every problem+json answer with its codes, and the settle body's five usage forms.
 */
package com.imagina.credits.system.docs;
