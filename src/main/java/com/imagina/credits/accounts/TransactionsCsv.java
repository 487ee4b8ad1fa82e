package com.imagina.credits.accounts;

import com.imagina.credits.ledger.LedgerEntry;
import java.math.BigDecimal;

/** One CSV line per ledger entry; amounts in credits with three decimals (exact: millicredits / 1000). */
final class TransactionsCsv {
    static final String HEADER = "id,createdAt,type,amountCredits,fullCostCredits,balanceAfterCredits,"
            + "description,turnId,modelId,worldId\r\n";

    private TransactionsCsv() {}

    static String row(LedgerEntry e) {
        return String.join(",",
                Long.toString(e.id()),
                e.createdAt().toString(),
                e.type().wireName(),
                credits(e.amountMillicredits()),
                e.fullCostMillicredits() == null ? "" : credits(e.fullCostMillicredits()),
                credits(e.balanceAfterMillicredits()),
                quote(e.description()),
                quote(e.turnId()),
                quote(e.modelId()),
                quote(e.worldId())) + "\r\n";
    }

    static String credits(long millicredits) {
        return BigDecimal.valueOf(millicredits, 3).toPlainString();
    }

    /**
     * RFC 4180 quoting; a cell starting with a formula character ({@code = + - @}, TAB, CR) is neutralised
     * with a leading {@code '} so spreadsheets don't execute it. The amount columns are our own numbers
     * ({@link #credits}), never text a user wrote, and stay plain so that spreadsheets read them as numbers.
     */
    static String quote(String value) {
        if (value == null) return "";
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
