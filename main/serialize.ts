/** API results as JSON, for every transport (HTTP, the service process's ports). */
import type { ApiResult } from '../shared/api.js';

/** The JSON of frozen values, kept while the value lives: a frozen array is a snapshot nobody changes (the claims table between changes). */
const serializedSnapshots = new WeakMap<object, string>();

/** An API result as JSON; a frozen value (a cached snapshot) is serialised once, however often it is asked for. */
export function serializeResult(result: ApiResult): string {
  if (!result.ok || typeof result.value !== 'object' || result.value === null || !Object.isFrozen(result.value))
    return JSON.stringify(result);
  let json = serializedSnapshots.get(result.value);
  if (json === undefined) {
    json = JSON.stringify(result.value);
    serializedSnapshots.set(result.value, json);
  }
  return `{"ok":true,"value":${json}}`;
}
