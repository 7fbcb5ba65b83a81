// A --schema rule's "layout": "stacked" with its own resize, labels, split and seed (issue 20):
// checked with h5py on a generated ImageFolder tree. Images a stacking rule matches become rows
// of their input's one stack, made with the rule's options; other images keep the files layout
// (a rule's "layout": "files", or a target, takes images out of a --layout stacked run's stack);
// an input's askers that disagree are refused before anything is written; a rule's `input` globs
// limit its stack to those inputs; the rule's keys are checked when the schema loads; a resume
// with the schema file edited is refused.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import sharp from "sharp";
import { convert } from "../../src";
import { parseSchema } from "../../src/schema";
import { loadSchema } from "../../src/schema";
import { parseResize, sharpResize } from "../../src/processors/resize-spec";
import { python, tempDir } from "../helpers/h5py";
import { imageFolderScript } from "../helpers/image-folder";

const dir = tempDir("h5dat-stacked-rules-");
const zoo = path.join(dir, "zoo");

/** What h5py sees of an input's group: its stack (if any) and its other datasets with their shapes. */
interface Seen {
  stack: { shape: number[]; paths: string[]; labels: string[]; splits: Record<string, number[]>; attrs: Record<string, unknown>; meta: string[] } | null;
  datasets: Record<string, number[]>;
}

const READ = `
import h5py, json, sys
g = h5py.File(sys.argv[1])[sys.argv[2]]
stack = None
if "images" in g and g.attrs.get("layout") == "stacked":
    o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
    names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
    stack = {
        "shape": list(g["images"].shape),
        "paths": [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)],
        "labels": [names[x] if x >= 0 else "" for x in g["labels"][:]],
        "splits": {k: [int(x) for x in g["splits"][k][:]] for k in g["splits"]} if "splits" in g else {},
        "attrs": {k: g.attrs[k] if isinstance(g.attrs[k], str) else int(g.attrs[k]) for k in ("resize", "label_source", "split_rule", "seed")},
        "meta": list(g["meta"].dtype.names) if "meta" in g else [],
    }
datasets = {}
g.visititems(lambda name, o: datasets.__setitem__(name, list(o.shape)) if isinstance(o, h5py.Dataset) and name.endswith(".png") else None)
print(json.dumps({"stack": stack, "datasets": datasets}))`;

/** Writes `rules` as a schema file named `name` in the test's directory; its path. */
function schemaFile(name: string, rules: object[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ rules }));
  return file;
}

before(() => {
  python(`${imageFolderScript({ seed: 11, perClass: { train: 3, val: 2 }, sides: [10, 30] })}
os.makedirs(f"{root}/raw", exist_ok=True)
for i, (h, w) in enumerate(((9, 13), (17, 6))):
    Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(f"{root}/raw/scan_{i}.png")
with open(f"{root}/kinds.csv", "w") as out:
    out.write("id,kind,weight\\n")
    for split in ("train", "val"):
        for cls in ("owl", "cat", "dog"):
            for i in range(3 if split == "train" else 2):
                if split == "train" and i == 0: out.write(f"{cls}_{i},{cls}-kind,{i + 0.5}\\n")
print("{}")`, zoo);
});

describe("schema rules with layout stacked", () => {
  test("a stacking rule stacks the images it matches with its own options; the rest keep the files layout", async () => {
    const output = path.join(dir, "rule.h5");
    const schema = await loadSchema(schemaFile("rule.json", [{ match: ["train/**/*.png", "val/**/*.png"], layout: "stacked", resize: "8x6:fill", split: "a=0.5,b=0.5", seed: 4 }]));
    const summary = await convert([zoo], { output, schema });
    assert.equal(summary.failed, 0);
    const seen = python<Seen>(READ, output, "zoo");
    const stacked = ["train", "val"].flatMap((split) => ["cat", "dog", "owl"].flatMap((cls) => fs.readdirSync(path.join(zoo, split, cls)).map((name) => `${split}/${cls}/${name}`)));
    assert.ok(seen.stack);
    assert.deepEqual([...seen.stack.paths].sort(), stacked.sort());
    assert.deepEqual(seen.stack.shape, [15, 6, 8, 3]);
    assert.deepEqual(seen.stack.attrs, { resize: "8x6:fill", label_source: "dir", split_rule: "a=0.5,b=0.5", seed: 4 });
    assert.deepEqual(seen.stack.labels, seen.stack.paths.map((p) => p.split("/")[1]));
    // Split directories win over the rule's split.
    assert.deepEqual(Object.keys(seen.stack.splits).sort(), ["train", "val"]);
    // The images no rule stacks keep their own datasets and shapes.
    assert.deepEqual(seen.datasets, { "raw/scan_0.png": [9, 13, 3], "raw/scan_1.png": [17, 6, 3] });
    const first = python<number[]>("import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1])['zoo/images'][0].flatten().tolist()))", output);
    const want = await sharp(fs.readFileSync(path.join(zoo, seen.stack.paths[0]))).removeAlpha().resize(sharpResize(parseResize("8x6:fill"))).raw().toBuffer();
    assert.deepEqual(first, Array.from(want));
  });

  test("with --layout stacked, a rule's layout files or its target keeps its images out of the stack", async () => {
    const output = path.join(dir, "out-of-stack.h5");
    const schema = await loadSchema(schemaFile("out.json", [{ match: "raw/**", layout: "files" }, { match: "val/owl/*.png", target: "owls/{name}" }]));
    await convert([zoo], { output, schema, layout: "stacked", resize: parseResize("5x5") });
    const seen = python<Seen>(READ, output, "zoo");
    assert.ok(seen.stack);
    assert.deepEqual(seen.stack.shape, [13, 5, 5, 3]);
    assert.ok(seen.stack.paths.every((p) => !p.startsWith("raw/") && !p.startsWith("val/owl/")));
    assert.deepEqual(Object.keys(seen.datasets).sort(), ["owls/owl_0.png", "owls/owl_1.png", "raw/scan_0.png", "raw/scan_1.png"]);
  });

  test("a label table named by a rule is joined, its columns as meta", async () => {
    const output = path.join(dir, "table.h5");
    const schema = await loadSchema(schemaFile("table.json", [{ match: "t*/**/*.png", layout: "stacked", labels: "kinds.csv:id:kind", resize: "4x4" }]));
    const summary = await convert([zoo], { output, schema });
    const seen = python<Seen>(READ, output, "zoo");
    assert.ok(seen.stack);
    assert.equal(seen.stack.attrs.label_source, "kinds.csv:id:kind");
    assert.deepEqual(seen.stack.meta, ["_row", "id", "kind", "weight"]);
    assert.deepEqual(seen.stack.labels, seen.stack.paths.map((p) => (p.endsWith("_0.png") ? `${p.split("/")[1]}-kind` : "")));
    assert.deepEqual(summary.stacks?.map((s) => [s.group, s.rows, s.unlabelled]), [["/zoo", 9, 6]]);
  });

  test("a rule's input globs give a stack to those inputs only", async () => {
    const other = path.join(dir, "other");
    fs.cpSync(path.join(zoo, "raw"), path.join(other, "raw"), { recursive: true });
    const output = path.join(dir, "inputs.h5");
    const schema = await loadSchema(schemaFile("inputs.json", [{ input: "other", match: "**", layout: "stacked", resize: "3x3" }]));
    await convert([zoo, other], { output, schema });
    const zooSeen = python<Seen>(READ, output, "zoo");
    const otherSeen = python<Seen>(READ, output, "other");
    assert.equal(zooSeen.stack, null);
    assert.ok(zooSeen.datasets["train/cat/cat_0.png"]);
    assert.deepEqual(otherSeen.stack?.shape, [2, 3, 3, 3]);
    assert.deepEqual(otherSeen.datasets, {});
  });

  test("askers of one input's stack that disagree, or a missing rule table, are refused before anything is written", async () => {
    const output = path.join(dir, "refused.h5");
    const clash = await loadSchema(schemaFile("clash.json", [{ match: "raw/**", layout: "stacked", resize: "16x16" }]));
    await assert.rejects(convert([zoo], { output, schema: clash, layout: "stacked", resize: parseResize("8x8") }), (error: Error) => {
      assert.match(error.message, /zoo: its images make one stack, but --layout stacked makes it with resize '8x8:cover' and schema rule 0 with '16x16:cover'/);
      return true;
    });
    const two = await loadSchema(schemaFile("two.json", [{ match: "raw/**", layout: "stacked", seed: 1 }, { match: "train/**", layout: "stacked", seed: 2 }]));
    await assert.rejects(convert([zoo], { output, schema: two }), /schema rule 0 makes it with seed '1' and schema rule 1 with '2'/);
    const missing = await loadSchema(schemaFile("missing.json", [{ match: "**/*.png", layout: "stacked", labels: "nowhere.csv:id:kind" }]));
    await assert.rejects(convert([zoo], { output, schema: missing }), /'nowhere.csv' is neither a file nor an entry of/);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith("refused")), []);
    // The stacked flags need a stack to shape: --layout stacked or a stacking rule.
    const plain = await loadSchema(schemaFile("plain.json", [{ match: "raw/**", layout: "files" }]));
    await assert.rejects(convert([zoo], { output, schema: plain, split: [{ name: "a", share: 1 }] }), /--split shape the stacked layout: give --layout stacked too \(or a --schema rule with "layout": "stacked"\)/);
    await convert([zoo], { output, schema: clash, split: [{ name: "a", share: 1 }] });
    assert.deepEqual(python<Seen>(READ, output, "zoo").stack?.attrs.split_rule, "a=1");
  });

  test("a rule's stacked keys are checked when the schema loads", () => {
    const problems = (rule: object) => {
      try {
        parseSchema(JSON.stringify({ rules: [rule] }), "bad.json");
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
      assert.fail("the schema loaded");
    };
    assert.deepEqual(problems({ match: "**", resize: "8x8", seed: 1 }), ["rules/0: 'resize', 'seed' shape a stack: give \"layout\": \"stacked\" too"]);
    assert.deepEqual(problems({ match: "**", layout: "stacked", resize: "8", split: "a=2" }), [
      "rules/0/resize: '8' is not WxH[:cover|contain|fill] (as in 224x224:contain)",
      "rules/0/split: the shares sum to 2, not 1",
    ]);
    assert.deepEqual(problems({ match: "**", layout: "stacked", target: "x/{name}", processor: "csv", dtype: "uint8" }), [
      "rules/0/target: a rule with \"layout\": \"stacked\" makes its images rows of their input's stack, which takes no target",
      "rules/0/dtype: a rule with \"layout\": \"stacked\" makes its images rows of their input's stack, which takes no dtype",
      "rules/0/processor: \"layout\": \"stacked\" stacks images, not csv entries",
    ]);
    assert.ok(problems({ match: "**", layout: "sideways" }).some((p) => p.includes("layout")));
  });

  test("a resume with the schema file edited since is refused", async () => {
    const output = path.join(dir, "edited.h5");
    const file = schemaFile("edited.json", [{ match: "**/*.png", layout: "stacked", resize: "4x4" }]);
    const controller = new AbortController();
    controller.abort();
    const first = await convert([zoo], { output, schema: await loadSchema(file), signal: controller.signal });
    assert.equal(first.interrupted, true);
    schemaFile("edited.json", [{ match: "**/*.png", layout: "stacked", resize: "6x6" }]);
    await assert.rejects(convert([zoo], { output, schema: await loadSchema(file), resume: true }), /options changed since it was started \(schema\)/);
    schemaFile("edited.json", [{ match: "**/*.png", layout: "stacked", resize: "4x4" }]);
    const resumed = await convert([zoo], { output, schema: await loadSchema(file), resume: true });
    assert.equal(resumed.failed, 0);
    assert.deepEqual(python<Seen>(READ, output, "zoo").stack?.shape, [17, 4, 4, 3]);
  });
});
