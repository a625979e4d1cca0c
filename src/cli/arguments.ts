/**
 * Parsers for command-line values. A bad value is a usage error, reported by
 * commander with the option's name (exit code 2), before anything runs.
 */
import { InvalidArgumentError } from 'commander';
import { ValidationError } from '../core/errors.js';
import { asWholeNumber, budgetProblem, wholeNumberMessage } from '../core/input-rules.js';
import { parseLabelList, type Labels } from '../core/labels.js';

/** Parser for an integer in [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`,
      );
    }
    return number;
  };
}

/** Parser for an amount of US dollars (`0.5`, `12`), by the rule of every door. */
export function dollars(field: string): (value: string) => number {
  return (value) => {
    // Decimal digits only (a sign lets the range rule answer): `0x10`, `1e3` or `Infinity` would be read as some other amount.
    const number = /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    const problem = budgetProblem(field, number);
    if (problem !== null) throw new InvalidArgumentError(problem);
    return number as number;
  };
}

/** Parser for the id of a task or an orchestration (`what`), by the rule of every door. */
function positiveId(what: string): (value: string) => number {
  return (value) => {
    const id = asWholeNumber(value, 1);
    if (id === null) throw new InvalidArgumentError(wholeNumberMessage(`${what} id`, value, 1));
    return id;
  };
}

export const parseTaskId = positiveId('task');
export const parseOrchestrationId = positiveId('orchestration');
/** Parser for labels written `name=value,name2=value2`. */
export function labelList(value: string): Labels {
  try {
    return parseLabelList(value, 'labels');
  } catch (error) {
    if (error instanceof ValidationError) throw new InvalidArgumentError(error.issues.map((issue) => issue.message).join('; '));
    throw error;
  }
}

/** Parser for a repeatable option of one or more labels: each use adds its pairs to the ones before. */
export function moreLabels(value: string, previous: string[] = []): string[] {
  labelList(value);
  return [...previous, value];
}
