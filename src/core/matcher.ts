/**
 * A label matcher, as in Prometheus and Alertmanager: `name="value"`, `name!="value"`,
 * `name=~"regex"`, `name!~"regex"`. Silences, maintenance windows and inhibition rules select
 * alerts with lists of matchers that must all hold.
 */
export type MatchOperator = '=' | '!=' | '=~' | '!~';
export const matchOperators: readonly MatchOperator[] = ['=', '!=', '=~', '!~'];

export interface Matcher {
  readonly name: string;
  readonly operator: MatchOperator;
  /** The literal value, or the regular expression (anchored at both ends when matched). */
  readonly value: string;
}
