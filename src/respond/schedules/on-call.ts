/**
 * Who is on call: layers flattened by priority, overrides on top. Pure functions of a schedule and
 * instants; the caller brings the time (from a Clock), so tests and the API give the same answers.
 */
import { LayerRotation } from './layer-rotation.js';
import type { Schedule, Shift } from './schedule.js';

/** A piece of coverage from one source (a layer's turn or an override), before flattening. */
interface Coverage {
  readonly start: number;
  readonly end: number;
  readonly person: string;
  readonly layer: string | null;
  readonly source: string;
}

function rotationsOf(schedule: Schedule): LayerRotation[] {
  return schedule.layers.map((layer) => new LayerRotation(layer, schedule.timeZone));
}

/**
 * The person on call at `at` (ms since the epoch), or null when nobody is: the latest override
 * covering `at`, else the first layer, in priority order, whose rotation has started and whose
 * restriction windows (if any) include `at`.
 */
export function whoIsOnCall(schedule: Schedule, at: number): string | null {
  for (let index = schedule.overrides.length - 1; index >= 0; index -= 1) {
    const override = schedule.overrides[index];
    if (override !== undefined && override.start <= at && at < override.end) return override.person;
  }
  for (const rotation of rotationsOf(schedule)) {
    const turn = rotation.turnAt(at);
    if (turn < 0 || !rotation.isActiveAt(at)) continue;
    const person = rotation.person(turn);
    if (person !== undefined) return person;
  }
  return null;
}

/** Coverage of one layer in [from, to): its turns cut to its restriction windows and the range. */
function layerCoverage(options: { rotation: LayerRotation; name: string; range: { from: number; to: number } }): Coverage[] {
  const { rotation, name, range } = options;
  const windows = rotation.activeWindows(range);
  const coverage: Coverage[] = [];
  for (const turn of rotation.turns(range)) {
    for (const window of windows) {
      const start = Math.max(turn.start, window.start, range.from);
      const end = Math.min(turn.end, window.end, range.to);
      if (start < end) coverage.push({ start, end, person: turn.person, layer: name, source: `layer:${name}:${turn.turn}` });
    }
  }
  return coverage;
}

/** The piece of `pieces` (sorted, non-overlapping) containing `at`, by binary search. */
function containing(pieces: readonly Coverage[], at: number): Coverage | undefined {
  let low = 0;
  let high = pieces.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const piece = pieces[middle];
    if (piece === undefined) return undefined;
    if (at < piece.start) high = middle - 1;
    else if (at >= piece.end) low = middle + 1;
    else return piece;
  }
  return undefined;
}

/**
 * The flattened shifts in [from, to): sorted, non-overlapping, each with the one person on call
 * then, cut at `from` and `to`. Where nobody is on call (before a layer starts, outside its
 * restriction windows) there is a gap, not a shift. Adjacent stretches of the same turn or override
 * make one shift; a turn cut by an override becomes two shifts with the same `source`.
 */
export function shiftsBetween(schedule: Schedule, from: number, to: number): Shift[] {
  if (!(from < to)) return [];
  const range = { from, to };
  // Highest priority first: overrides, the latest first, then layers in order.
  const levels: Coverage[][] = [];
  for (let index = schedule.overrides.length - 1; index >= 0; index -= 1) {
    const override = schedule.overrides[index];
    if (override === undefined) continue;
    const start = Math.max(override.start, from);
    const end = Math.min(override.end, to);
    if (start < end) levels.push([{ start, end, person: override.person, layer: null, source: `override:${index}` }]);
  }
  rotationsOf(schedule).forEach((rotation, index) => {
    const name = schedule.layers[index]?.name ?? String(index);
    levels.push(layerCoverage({ rotation, name, range }));
  });

  const cuts = new Set<number>([from, to]);
  for (const level of levels) {
    for (const piece of level) {
      cuts.add(piece.start);
      cuts.add(piece.end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);

  const shifts: Shift[] = [];
  let open: { start: number; end: number; piece: Coverage } | undefined;
  const close = () => {
    if (open === undefined) return;
    const { piece } = open;
    shifts.push({ start: open.start, end: open.end, person: piece.person, layer: piece.layer, override: piece.layer === null, source: piece.source });
    open = undefined;
  };
  for (let index = 0; index + 1 < points.length; index += 1) {
    const start = points[index] ?? from;
    const end = points[index + 1] ?? to;
    let winner: Coverage | undefined;
    for (const level of levels) {
      winner = containing(level, start);
      if (winner !== undefined) break;
    }
    if (winner === undefined) {
      close();
    } else if (open !== undefined && open.piece.source === winner.source && open.piece.person === winner.person && open.end === start) {
      open.end = end;
    } else {
      close();
      open = { start, end, piece: winner };
    }
  }
  close();
  return shifts;
}
