package com.imagina.credits.books;

import com.imagina.credits.ledger.Reconciliation.Check;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The books in the reconciliation report. */
@Configuration(proxyBeanMethods = false)
class BooksCheck {

    /**
     * Every stored day closed at the sum of all balances measured at its end, and the last stored
     * closing plus everything posted after the watermark is the sum of all balances now.
     */
    @Bean
    Check booksClose() {
        String sql = """
                select (select count(*) from books_days where closing_millicredits <> balances_at_end_millicredits)
                     + (select case when
                           coalesce((select closing_millicredits from books_days order by day desc limit 1), 0)
                           + coalesce((select sum(amount_millicredits) from ledger_entries
                                        where created_at >= coalesce((select (through_day + 1)::timestamp at time zone 'UTC'
                                                                        from books_watermark where id = 1), '-infinity')), 0)
                           = coalesce((select sum(balance_millicredits) from accounts), 0)
                         then 0 else 1 end)""";
        // The same query in incremental runs: it reads the closed days' aggregate, the entries since the
        // books' watermark and today's balances — never the whole ledger.
        return new Check("books_close_every_day",
                "Each day of the books closes at the sum of all balances at its end, and the books carry on to today's"
                        + " balances.", sql, sql);
    }
}
