/** Handler types derived from the shared contract, so no handler restates its input or output by hand. */
import type { z } from 'zod';
import type { ApiOutput, contract } from '../../shared/api.js';
import type { ApiMethod } from '../../shared/methods.js';

/** A method's input after validation (defaults applied). */
export type HandlerInput<M extends ApiMethod> = z.output<(typeof contract)[M]['input']>;

export type Handler<M extends ApiMethod> = (input: HandlerInput<M>) => ApiOutput<M> | Promise<ApiOutput<M>>;

/** The handlers of some methods: `satisfies HandlersOf<'articles.list' | …>` types each one's input from the contract. */
export type HandlersOf<M extends ApiMethod> = { [K in M]: Handler<K> };

/** Every method's handler. */
export type Handlers = HandlersOf<ApiMethod>;
