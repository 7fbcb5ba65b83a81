// The processor registry: each processor's `takes` decides alone which entries it gets, so these
// pin the routing the converter had as one switch (category → processor, with --images and
// --gif-as-video), check that no two processors take the same entry, and that the --schema
// meta-schema offers exactly the registry's processors with the options each declares.
import assert from "node:assert/strict";
import { test } from "node:test";
import Ajv from "ajv";
import { CATEGORIES, type Category, type Classification } from "../../src/classify";
import type { ProcessorSettings } from "../../src/processors/processor";
import { FALLBACK_PROCESSOR, PROCESSOR_NAMES, PROCESSORS, processorFor, processorNamed } from "../../src/processors/registry";
import { SCHEMA_META } from "../../src/schema";

const kindOf = (category: Category, mediaType = "application/octet-stream", nameExtension = ""): Classification => ({ mediaType, category, extension: nameExtension, nameExtension, by: "magic" });

const SETTINGS: ProcessorSettings[] = [{}, { images: "encoded" }, { images: "both" }, { gifAsVideo: true }, { gifAsVideo: true, images: "encoded" }];

test("entries go where the converter always sent them", () => {
  const cases: [Classification, ProcessorSettings, string][] = [
    [kindOf("image", "image/png", "png"), {}, "image"],
    [kindOf("image", "image/png", "png"), { images: "both" }, "image"],
    [kindOf("image", "image/png", "png"), { images: "encoded" }, "bytes"],
    [kindOf("image", "image/gif", "gif"), {}, "image"],
    [kindOf("image", "image/gif", "gif"), { gifAsVideo: true }, "video"],
    [kindOf("image", "image/gif", "gif"), { gifAsVideo: true, images: "encoded" }, "bytes"],
    [kindOf("video", "video/mp4", "mp4"), { images: "encoded" }, "video"],
    [kindOf("audio", "audio/mpeg", "mp3"), {}, "audio"],
    [kindOf("json", "application/json", "json"), {}, "json"],
    [kindOf("jsonl", "application/jsonl", "jsonl"), {}, "jsonl"],
    [kindOf("csv", "text/csv", "csv"), {}, "csv"],
    [kindOf("tsv", "text/tab-separated-values", "tsv"), {}, "csv"],
    [kindOf("hdf5", "application/x-hdf5", "h5"), {}, "hdf5"],
    [kindOf("archive", "application/zip", "zip"), {}, "bytes"],
    // Named as JSON but not detected as JSON: the parser says why, instead of bytes kept quietly.
    [kindOf("bytes", "application/octet-stream", "json"), {}, "json"],
    [kindOf("bytes", "application/octet-stream", "jsonl"), {}, "jsonl"],
    [kindOf("bytes", "application/octet-stream", "ndjson"), {}, "jsonl"],
    [kindOf("bytes", "application/octet-stream", "csv"), {}, "bytes"],
    [kindOf("bytes", "application/octet-stream", "bin"), {}, "bytes"],
  ];
  for (const [kind, settings, expected] of cases) {
    assert.equal(processorFor(kind, settings).name, expected, `${kind.category} ${kind.mediaType} .${kind.nameExtension} ${JSON.stringify(settings)}`);
  }
});

test("no entry is taken by two processors, and the fallback takes none itself", () => {
  const extensions = ["", "json", "jsonl", "ndjson", "csv", "gif", "png"];
  const mediaTypes = ["application/octet-stream", "image/gif", "image/png"];
  for (const category of CATEGORIES) {
    for (const nameExtension of extensions) {
      for (const mediaType of mediaTypes) {
        for (const settings of SETTINGS) {
          const kind = kindOf(category, mediaType, nameExtension);
          const takers = PROCESSORS.filter((processor) => processor.takes(kind, settings)).map((processor) => processor.name);
          assert.ok(takers.length <= 1, `${category} ${mediaType} .${nameExtension} ${JSON.stringify(settings)}: ${takers.join(", ")}`);
          assert.ok(!takers.includes(FALLBACK_PROCESSOR.name as never));
        }
      }
    }
  }
});

test("names are unique; each processor is found by its name and says how it writes", () => {
  assert.equal(new Set(PROCESSOR_NAMES).size, PROCESSORS.length);
  for (const name of PROCESSOR_NAMES) {
    const processor = processorNamed(name);
    assert.equal(processor.name, name);
    // A processor a worker prepares may stream a large entry in the writer (JSON records), never decode a stream.
    if (processor.prepares === "worker") assert.notEqual(processor.streams, "always", name);
    if (processor.streams === "always") assert.equal(typeof processor.writeStream, "function", name);
    if (processor.streams === "large") assert.equal(typeof processor.writeBlocks, "function", name);
  }
  assert.throws(() => processorNamed("npy" as never), /no processor named 'npy'/);
});

test("the --schema meta-schema offers the registry's processors, each with the options it declares", () => {
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(SCHEMA_META);
  const ruleWith = (processor: string, options?: object) => ({ rules: [{ match: "*", processor, ...(options && { options }) }] });
  for (const processor of PROCESSORS) {
    assert.ok(validate(ruleWith(processor.name)), `${processor.name}: ${ajv.errorsText(validate.errors)}`);
    assert.equal(validate(ruleWith(processor.name, { no_such_option: 1 })), false, `${processor.name} refuses an option it does not declare`);
  }
  assert.ok(validate(ruleWith("video", { fps: 5, max_frames: 3 })), ajv.errorsText(validate.errors));
  assert.ok(validate(ruleWith("csv", { mode: "kv", delimiter: ";" })), ajv.errorsText(validate.errors));
  assert.equal(validate(ruleWith("npy")), false, "a name the registry does not list is refused");
});
