// An error that tells the caller which option to pass. The API's caller passes `overwrite: true`,
// the command line's user `--overwrite`: the message is worded for the API, and the CLI asks for
// its own wording (main.ts), so that neither reads the other's language. The flag is the option
// table's.
import { everyOption, longFlagOf, type OptionName } from "./option-table";

/** The convert options an advice names: the switches (true or absent). */
export type AdvisedOption = OptionName;

/** How an option is named to whoever reads the message. */
type OptionWording = (option: AdvisedOption) => string;

const API_WORDING: OptionWording = (option) => `${option}: true`;
const CLI_WORDING: OptionWording = (option) => longFlagOf(everyOption().find((spec) => spec.name === option)!);

/** An error whose message names options: `message` in the API's words, `cliMessage` in the CLI's. */
export class OptionAdviceError extends Error {
  /** The message with CLI flags (`--overwrite`) in place of the API's options (`overwrite: true`). */
  readonly cliMessage: string;

  /** `words` writes the message with each option named as it is given. */
  constructor(words: (name: OptionWording) => string) {
    super(words(API_WORDING));
    this.name = "OptionAdviceError";
    this.cliMessage = words(CLI_WORDING);
  }
}

/** The message for a user of the command line: an OptionAdviceError's in CLI flags. */
export function cliMessageOf(error: unknown): string | undefined {
  return error instanceof OptionAdviceError ? error.cliMessage : undefined;
}
