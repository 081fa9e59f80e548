import type { ApiError } from '../shared/api.js';

/** An error meant for the user; crosses the API as `{ code, message }`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}
