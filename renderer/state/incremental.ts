/**
 * Derived data of a long list, updated from the part of the list that
 * changed. The workspace's annotation list is replaced by a new array on
 * every change (a tag added, one record swapped for the saved one), and on a
 * book it holds 50,000 annotations: rebuilding an id map or the painted
 * copies for each key press costs more than the paint itself. Arrays are
 * compared by identity from both ends, so one insertion, deletion or
 * replacement costs a pointer walk and a few map operations.
 */

/** How many leading and trailing elements `a` and `b` share (the same objects); they never overlap. */
export function sameEnds<T>(a: readonly T[], b: readonly T[]): { head: number; tail: number } {
  const n = Math.min(a.length, b.length);
  let head = 0;
  while (head < n && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < n - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { head, tail };
}

/** Above this many changed elements, rebuilding is as quick as patching. */
const PATCH_LIMIT = 2_000;

/** A map from id to element of the last list given, patched from the changed middle. */
export class IdIndex<T extends { id: string }> {
  private list: readonly T[] = [];
  private readonly map = new Map<string, T>();

  /** The index of `next`. The map is the same object each time (patched in place), so read it, do not keep it as a snapshot. */
  update(next: readonly T[]): ReadonlyMap<string, T> {
    if (next === this.list) return this.map;
    const { head, tail } = sameEnds(this.list, next);
    if (this.list.length - head - tail + (next.length - head - tail) > PATCH_LIMIT) {
      this.map.clear();
      for (const x of next) this.map.set(x.id, x);
    } else {
      for (let i = head; i < this.list.length - tail; i++) {
        const x = this.list[i] as T;
        if (this.map.get(x.id) === x) this.map.delete(x.id);
      }
      for (let i = head; i < next.length - tail; i++) {
        const x = next[i] as T;
        this.map.set(x.id, x);
      }
    }
    this.list = next;
    return this.map;
  }
}

/** `input.map(f)` kept for the last input: elements the new input shares at either end keep their results. */
export class MappedList<I, O> {
  private input: readonly I[] = [];
  private output: readonly O[] = [];
  private context: unknown = undefined;

  /** `f` must depend on nothing but its element and `context`; a new `context` maps everything again. */
  update(next: readonly I[], context: unknown, f: (x: I) => O): readonly O[] {
    if (next === this.input && context === this.context) return this.output;
    let out: O[];
    if (context !== this.context) {
      out = next.map(f);
    } else {
      const { head, tail } = sameEnds(this.input, next);
      out = this.output.slice(0, head);
      for (let i = head; i < next.length - tail; i++) out.push(f(next[i] as I));
      for (let i = this.output.length - tail; i < this.output.length; i++) out.push(this.output[i] as O);
    }
    this.input = next;
    this.output = out;
    this.context = context;
    return out;
  }
}
