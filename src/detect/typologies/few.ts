/**
 * A short list of strings (hashes, addresses) kept per entity: the one string while there is
 * one, an array from the second. Nearly every entity in a stream is seen once, and with a million
 * fresh addresses an array each was much of what a detector kept alive for the collector to copy.
 */
export type Few = string | string[];

/** `list` with `item` added unless it is there already or `list` holds `max` (at least 2). */
export function keptOnce(list: Few | undefined, item: string, max: number): Few {
  if (list === undefined) return item;
  if (typeof list === 'string') return list === item ? list : [list, item];
  if (list.length < max && !list.includes(item)) list.push(item);
  return list;
}

/** `list` with `item` added at the end, dropping the oldest past `max` (at least 2). */
export function keptLatest(list: Few | undefined, item: string, max: number): Few {
  if (list === undefined) return item;
  if (typeof list === 'string') return [list, item];
  list.push(item);
  if (list.length > max) list.shift();
  return list;
}

/** The strings as an array (the list itself once it is one). */
export function listed(list: Few | undefined): string[] {
  if (list === undefined) return [];
  return typeof list === 'string' ? [list] : list;
}
