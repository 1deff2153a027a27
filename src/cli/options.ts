export class UsageError extends Error {}

/** The value after `name`; a following flag (`--name --expires-in 90d`) is not a value. */
export function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--') || value.trim() === '') throw new UsageError(`${name} needs a value`);
  return value;
}

/** The arguments that are neither flags nor the values of `valued` flags. */
export function positional(args: readonly string[], valued: readonly string[]): string[] {
  return args.filter((arg, i) => !arg.startsWith('--') && !valued.includes(args[i - 1]));
}
