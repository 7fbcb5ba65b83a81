// `h5dat merge shard-*.h5 -o master.h5 [--materialize]`: the shards of one `convert --shard i/N`
// run joined into one file (src/merge/merge.ts). Exit 1, nothing written, when the shards are not
// one run's whole set; the message names each shard and what is wrong with it.
import type { Command } from "commander";
import { merge } from "../merge/merge";

/** Adds `h5dat merge`. */
export function addMergeCommand(program: Command): void {
  program
    .command("merge")
    .description("join the shards of a `convert --shard i/N` run into one file: links and virtual datasets into the shards (default), or one self-contained copy (--materialize)")
    .argument("<shards...>", "every shard file of the run (out-*-of-16.h5)")
    .requiredOption("-o, --output <file>", "the master file to write")
    .option("--materialize", "copy the shards' data into the master (chunks as stored) instead of linking to it")
    .option("--overwrite", "replace an existing output")
    .option("--json", "the summary as JSON")
    .action(async (shards: string[], options: { output: string; materialize?: boolean; overwrite?: boolean; json?: boolean }) => {
      const summary = await merge(shards, { output: options.output, materialize: options.materialize, overwrite: options.overwrite, command: process.argv.slice(2).join(" ") });
      if (options.json) {
        console.log(JSON.stringify(summary));
        return;
      }
      console.log(`${summary.shards} shards merged (${summary.mode}): ${summary.entries} entries: ${summary.written} written, ${summary.skipped} skipped, ${summary.failed} failed`);
      for (const stack of summary.stacks) console.log(`stack ${stack.group}: ${stack.rows} images, ${stack.classes} classes${stack.relabelled ? " (label numbers made to agree across shards)" : ""}`);
      console.log(`${summary.seconds.toFixed(2)} s → ${summary.output}`);
    });
}
