package io.podfleet.accounting;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.http.HttpStatus;

/** The refusals of the accounting package, one type per rule. */
final class AccountingProblems {

    private AccountingProblems() {
    }

    /** A request field (a query parameter or a purchase's field) that breaks a rule. */
    static final class InvalidField extends DomainProblem {
        InvalidField(String field, String detail) {
            super(HttpStatus.BAD_REQUEST, field, detail);
        }
    }
}
