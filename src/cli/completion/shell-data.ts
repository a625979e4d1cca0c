/**
 * The command tree as shell data the bash and zsh scripts share: both read
 * `case` statements the same way. `_claude_worker_spec PATH` sets `subs`,
 * `flags` and `arg` for a command; `_claude_worker_value PATH FLAG` sets
 * `kind` (and `choices`) for a flag that takes a value, or nothing.
 */
import { pathKey, type CommandSpec } from './command-tree.js';

/** A word in single quotes, for bash, zsh and fish alike. */
export function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function caseFunctions(specs: readonly CommandSpec[]): string {
  const specCases = specs.map((spec) => {
    const flags = spec.flags.flatMap((flag) => flag.names).join(' ');
    const choices = spec.argumentChoices.length > 0 ? ` argchoices=${quote(spec.argumentChoices.join(' '))};` : '';
    return `    ${quote(pathKey(spec))}) subs=${quote(spec.subcommands.join(' '))}; flags=${quote(flags)}; arg=${spec.argument};${choices} ;;`;
  });
  const valueCases = specs.flatMap((spec) =>
    spec.flags
      .filter((flag) => flag.value !== null)
      .map((flag) => {
        const patterns = flag.names.map((name) => quote(`${pathKey(spec)}|${name}`)).join('|');
        const { kind, choices } = flag.value!;
        return kind === 'choices'
          ? `    ${patterns}) kind=choices; choices=${quote(choices.join(' '))} ;;`
          : `    ${patterns}) kind=${kind} ;;`;
      }),
  );
  return `_claude_worker_spec() {
  subs=''; flags=''; arg=none; argchoices=''
  case "$1" in
${specCases.join('\n')}
  esac
}

_claude_worker_value() {
  kind=''; choices=''
  case "$1|$2" in
${valueCases.join('\n')}
  esac
}`;
}
