package io.podfleet.smart;

/**
 * Why a verdict is what it is: the field or attribute, the value seen, the rule applied, and how serious it is.
 * A reason with severity HEALTHY is a note for an operator (for example "interface CRC errors: check the cable").
 */
public record Reason(Health severity, String field, String value, String rule) {
}
