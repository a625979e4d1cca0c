/**
 * The commands, flags and arguments of the commander program, as the
 * completion scripts need them. Read from the program itself, so a new
 * command or flag is completed without touching the scripts.
 */
import { Help, type Command } from 'commander';

/** What an argument or a flag's value is completed with. */
export type ValueKind = 'task_id' | 'orchestration_id' | 'file' | 'choices' | 'none';

export interface FlagSpec {
  /** `--name` and, when there is one, `-n`. */
  names: string[];
  description: string;
  /** Null: the flag takes no value. */
  value: { kind: ValueKind; choices: readonly string[] } | null;
}

export interface CommandSpec {
  /** Words from the root: [] for the program, ['server', 'start'] for a subcommand. */
  path: string[];
  description: string;
  flags: FlagSpec[];
  subcommands: string[];
  /** What the positional arguments are completed with (the first of them; a variadic one repeats). */
  argument: ValueKind;
  /** The values the argument may take, when it is `choices`. */
  argumentChoices: readonly string[];
}

export function commandTree(program: Command): CommandSpec[] {
  const help = new Help();
  const specs: CommandSpec[] = [];
  const visit = (command: Command, path: string[]) => {
    const subcommands = help.visibleCommands(command).filter((sub) => sub.name() !== 'help');
    specs.push({
      path,
      description: command.description(),
      flags: help.visibleOptions(command).map((option) => ({
        names: [option.long, option.short].filter((name): name is string => name !== undefined),
        description: option.description,
        value:
          option.required || option.optional
            ? { kind: valueKindOf(option.flags, option.description, option.argChoices), choices: option.argChoices ?? [] }
            : null,
      })),
      subcommands: subcommands.map((sub) => sub.name()),
      argument: argumentKind(command),
      argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
    });
    for (const sub of subcommands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return specs;
}

/** `<id>`/`<ids...>` are task ids unless described as orchestration ids; files and prompts complete as paths. */
function argumentKind(command: Command): ValueKind {
  const [first] = command.registeredArguments;
  if (!first) return 'none';
  if (first.argChoices) return 'choices';
  if (first.name() === 'id' || first.name() === 'ids') {
    return /orchestration/.test(first.description) ? 'orchestration_id' : 'task_id';
  }
  return 'file';
}

/** By the value's placeholder: `--dir <path>`, `--db <spec>` take paths, `--orchestration <id>` an id; the rest free text. */
function valueKindOf(flags: string, description: string, choices: readonly string[] | undefined): ValueKind {
  const placeholder = /[<[]([\w.-]+)[>\]]/.exec(flags)?.[1] ?? '';
  if (choices) return 'choices';
  if (placeholder === 'id') return /orchestration/.test(description) ? 'orchestration_id' : 'task_id';
  return ['path', 'file', 'spec', 'dir'].includes(placeholder) ? 'file' : 'none';
}

/** The word a script uses to look up a command: its path joined by spaces, `''` for the program. */
export function pathKey(spec: Pick<CommandSpec, 'path'>): string {
  return spec.path.join(' ');
}
