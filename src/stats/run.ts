import type { PatchwardenConfig } from "../config/types.js";
import { InputError } from "../patch/errors.js";
import type { PatchInput } from "../patch/series.js";
import { checkOne, type Checked } from "./check-one.js";
import type { StatsInput } from "./inputs.js";

export type Outcome = { input: StatsInput; checked: Checked } | { input: StatsInput; error: InputError };

// Reading the next inputs (a file, or a `git format-patch` child process)
// overlaps with checking the current one; a few ahead keep git busy
// without holding much of the history at once.
const READ_AHEAD = 8;

/**
 * Checks every input in order, each as its own series, and hands each
 * outcome to `each`. Input a user can get wrong (unreadable file, not a
 * patch, a merge) becomes an outcome; anything else is a bug and throws.
 */
export async function checkEach(inputs: StatsInput[] | AsyncIterable<StatsInput>, config: PatchwardenConfig, each: (outcome: Outcome) => void): Promise<void> {
  if (!Array.isArray(inputs)) {
    // A stream (one git for a range) reads ahead by itself: git writes while this checks.
    for await (const input of inputs) {
      let bytes: PatchInput;
      try {
        bytes = await input.load();
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        each({ input, error: err });
        continue;
      }
      each(checked(input, bytes, config));
    }
    return;
  }
  const pending: Promise<{ input: StatsInput; bytes: PatchInput } | { input: StatsInput; error: unknown }>[] = [];
  let next = 0;
  const fill = () => {
    while (next < inputs.length && pending.length < READ_AHEAD) {
      const input = inputs[next++]!;
      pending.push(input.load().then(
        (bytes) => ({ input, bytes }),
        (error: unknown) => ({ input, error }),
      ));
    }
  };
  fill();
  while (pending.length > 0) {
    const read = await pending.shift()!;
    fill();
    if ("error" in read) {
      if (!(read.error instanceof InputError)) throw read.error;
      each({ input: read.input, error: read.error });
      continue;
    }
    each(checked(read.input, read.bytes, config));
  }
}

function checked(input: StatsInput, bytes: PatchInput, config: PatchwardenConfig): Outcome {
  let result: Checked;
  try {
    result = checkOne(bytes, config);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { input, error: err };
  }
  return { input, checked: result };
}
