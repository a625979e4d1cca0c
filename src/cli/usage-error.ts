/**
 * A command line that cannot be acted on, found only after commander parsed
 * it (a `run` with neither a PROMPT nor piped input): reported like any
 * invalid input, but with the usage error's exit code, 2.
 */
import { ValidationError } from '../core/errors.js';

export class UsageError extends ValidationError {}
