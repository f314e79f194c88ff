// The `--name value` options of the small bench scripts (ab, ab-values, app-cpu, app-trace, profile).

/** The value after `--name` on the command line, or `dflt` when the option is absent. */
export function cliOption(name: string, dflt: string, args: readonly string[] = process.argv.slice(2)): string {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
}
