// Groups and links: creation by path (intermediate groups made), requireGroup, get by relative and
// absolute path, sorted keys, sync and async iteration, has(), delete(), soft/hard/external links
// and linkInfo(), visit() (compared with h5py's visit) and visit(callback) stopping early, and the
// typed getters. Trees written by h5dat are checked with h5py; trees written by h5py are read back.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { Dataset, Datatype, File, Group, H5Error, type H5Member } from "../../src";
import { python, tempDir } from "../helpers/h5py";

type Form = "promise" | "sync";
const FORMS: Form[] = ["promise", "sync"];

/** Calls `method` (Promise form, awaited) or `methodSync` on `target`. */
async function invoke<T = unknown>(form: Form, target: object, method: string, ...args: unknown[]): Promise<T> {
  const name = form === "sync" ? `${method}Sync` : method;
  const fn = (target as Record<string, unknown>)[name];
  assert.equal(typeof fn, "function", `${name} is a method`);
  const result = (fn as (...a: unknown[]) => unknown).apply(target, args);
  if (form === "promise") assert.ok(result instanceof Promise, `${name} returns a Promise`);
  return (await result) as T;
}

/** Runs `op`; expects an H5Error whose message matches `cause` and names `object` (also its `path`). */
async function rejects(op: () => Promise<unknown>, cause: RegExp, object: string): Promise<void> {
  await assert.rejects(op, (error: unknown) => {
    assert.ok(error instanceof H5Error, `expected an H5Error, got ${String(error)}`);
    assert.match(error.message, cause);
    assert.ok(error.message.includes(`'${object}'`), `${JSON.stringify(error.message)} names ${object}`);
    assert.equal(error.path, object);
    return true;
  });
}

/** h5py's visititems below `root`: [name, "group" | "dataset" | "datatype"]. */
function h5pyVisit(file: string, root = "/"): [string, string][] {
  return python<[string, string][]>(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); out = []
kinds = {h5py.Group: "group", h5py.Dataset: "dataset", h5py.Datatype: "datatype"}
f[sys.argv[2]].visititems(lambda name, obj: out.append([name, kinds[type(obj)]]))
print(json.dumps(out))`,
    file,
    root,
  );
}

/**
 * The group as what `for await` iterates. (TypeScript 5.9 types `for await` over a class that also
 * has a sync iterator with the sync element type once a sync for-of over it has been checked; the
 * object and the runtime iteration are unchanged.)
 */
const pairsOf = (group: Group) => group as AsyncIterable<[string, H5Member]>;

const dir = tempDir("h5dat-groups-");

describe("creating and finding groups", () => {
  for (const form of FORMS) {
    test(`[${form}] createGroup makes intermediate groups, requireGroup returns or creates, h5py sees the tree`, async () => {
      const file = path.join(dir, `create-${form}.h5`);
      const f = await File.open(file, "w");
      const c = await invoke<Group>(form, f, "createGroup", "a/b/c");
      assert.ok(c instanceof Group);
      assert.equal(c.name, "/a/b/c");
      assert.equal(c.file, f);
      assert.deepEqual(await invoke(form, f, "keys"), ["a"]);
      assert.deepEqual(await invoke(form, await invoke<Group>(form, f, "group", "a"), "keys"), ["b"]);

      const b = await invoke<Group>(form, f, "requireGroup", "a/b");
      assert.equal(b.name, "/a/b");
      assert.deepEqual(await invoke(form, b, "keys"), ["c"], "requireGroup left the existing group alone");
      const made = await invoke<Group>(form, f, "requireGroup", "x/y");
      assert.equal(made.name, "/x/y");

      // Relative to a subgroup, and absolute from a subgroup.
      assert.equal((await invoke<Group>(form, b, "createGroup", "d/e")).name, "/a/b/d/e");
      assert.equal((await invoke<Group>(form, c, "createGroup", "/top/level")).name, "/top/level");
      const ds = await invoke<Dataset>(form, b, "createDataset", "d/values", { data: Int16Array.of(1, 2, 3) });
      assert.equal(ds.name, "/a/b/d/values");
      assert.equal(ds.file, f);
      await f.close();

      assert.deepEqual(h5pyVisit(file), [
        ["a", "group"], ["a/b", "group"], ["a/b/c", "group"], ["a/b/d", "group"], ["a/b/d/e", "group"],
        ["a/b/d/values", "dataset"], ["top", "group"], ["top/level", "group"], ["x", "group"], ["x/y", "group"],
      ]);
      assert.deepEqual(python(`import h5py, json, sys
print(json.dumps(h5py.File(sys.argv[1], "r")["a/b/d/values"][()].tolist()))`, file), [1, 2, 3]);
    });

    test(`[${form}] get() by relative and absolute paths, from the root and from a subgroup`, async () => {
      const file = path.join(dir, `get-${form}.h5`);
      const f = await File.open(file, "w");
      await f.createDataset("one/two/data", { data: Float32Array.of(0.5, 1.5) });
      await f.createDataset("top", { data: [7] });
      const two = await invoke<Group>(form, f, "get", "one/two");
      assert.ok(two instanceof Group);
      assert.equal(two.name, "/one/two");

      const relative = await invoke<Dataset>(form, two, "get", "data");
      const absolute = await invoke<Dataset>(form, two, "get", "/one/two/data");
      const fromRoot = await invoke<Dataset>(form, f, "get", "/one/two/data");
      for (const ds of [relative, absolute, fromRoot]) {
        assert.ok(ds instanceof Dataset);
        assert.equal(ds.name, "/one/two/data");
        assert.deepEqual(Array.from((await invoke<{ data: Float32Array }>(form, ds, "read")).data), [0.5, 1.5]);
      }
      const top = await invoke<Dataset>(form, two, "get", "/top");
      assert.equal(top.name, "/top");
      const root = await invoke<Group>(form, two, "get", "/");
      assert.ok(root instanceof Group);
      assert.deepEqual(await invoke(form, root, "keys"), ["one", "top"]);
      assert.deepEqual(await invoke(form, await invoke<Group>(form, two, "group", "/one"), "keys"), ["two"]);
      await rejects(() => invoke(form, two, "get", "one/two/data"), /no such object/, "/one/two/one/two/data");
      await f.close();
    });

    test(`[${form}] group() and dataset() reject the wrong kind, requireGroup refuses a dataset`, async () => {
      const f = await File.open(path.join(dir, `kinds-${form}.h5`), "w");
      await f.createDataset("g/ds", { data: [1, 2] });
      const g = await invoke<Group>(form, f, "group", "g");
      assert.ok(g instanceof Group);
      assert.ok((await invoke(form, f, "dataset", "g/ds")) instanceof Dataset);
      await rejects(() => invoke(form, f, "group", "g/ds"), /'\/g\/ds' is a dataset, expected a group/, "/g/ds");
      await rejects(() => invoke(form, g, "group", "ds"), /is a dataset, expected a group/, "/g/ds");
      await rejects(() => invoke(form, f, "dataset", "g"), /'\/g' is a group, expected a dataset/, "/g");
      await rejects(() => invoke(form, f, "dataset", "/"), /'\/' is a group, expected a dataset/, "/");
      await rejects(() => invoke(form, f, "requireGroup", "g/ds"), /is a dataset, expected a group/, "/g/ds");
      await rejects(() => invoke(form, f, "group", "g/missing"), /no such object/, "/g/missing");
      assert.deepEqual(await invoke(form, g, "keys"), ["ds"], "the failed calls created nothing");
      await f.close();
    });
  }

  test("requireGroup calls in flight at once all get the one group, and one racing a dataset gets the kind error", async () => {
    const file = path.join(dir, "require-race.h5");
    const f = await File.open(file, "w");
    // Each call checks, then creates: all of them check before the first creates.
    const groups = await Promise.all(Array.from({ length: 6 }, () => f.requireGroup("a/b")));
    for (const g of groups) assert.equal(g.name, "/a/b");
    // The check finds nothing; the dataset is made before the group would be.
    const [lost, made] = await Promise.allSettled([f.requireGroup("c"), f.createDataset("c", { data: [1] })]);
    assert.equal(made.status, "fulfilled");
    assert.equal(lost.status, "rejected");
    assert.match(String(lost.reason), /'\/c' is a dataset, expected a group/);
    await f.close();
    assert.deepEqual(python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps([sorted(f.keys()), list(f["a"].keys()), isinstance(f["a/b"], h5py.Group), f["c"][()].tolist()]))`, file), [["a", "c"], ["b"], true, [1]]);
  });
});

describe("listing", () => {
  // Mixed case, digits, an underscore and a non-ASCII (UTF-8) name; created out of order.
  const names = ["zeta", "Alpha", "beta", "a10", "a2", "_under", "émile", "1one", "B"];
  const isDataset = (name: string) => name.length % 2 === 0;

  for (const form of FORMS) {
    test(`[${form}] keys() are sorted by name as h5py lists them; sync and async iteration agree`, async () => {
      const file = path.join(dir, `keys-${form}.h5`);
      const f = await File.open(file, "w");
      const mix = await f.createGroup("mix");
      for (const name of names) {
        if (isDataset(name)) await invoke(form, mix, "createDataset", name, { data: [name.length] });
        else await invoke(form, mix, "createGroup", name);
      }
      const keys = await invoke<string[]>(form, mix, "keys");
      assert.deepEqual(keys, [...names].sort());
      assert.deepEqual(await invoke(form, f, "keys"), ["mix"]);

      const synced: string[] = [];
      for (const name of mix) synced.push(name);
      assert.deepEqual(synced, keys);

      const pairs: [string, string, string][] = [];
      for await (const [name, object] of pairsOf(mix)) pairs.push([name, object instanceof Dataset ? "dataset" : "group", object.name]);
      assert.deepEqual(pairs, keys.map((name) => [name, isDataset(name) ? "dataset" : "group", `/mix/${name}`]));
      await f.close();

      assert.deepEqual(python(`import h5py, json, sys
print(json.dumps(list(h5py.File(sys.argv[1], "r")["mix"].keys())))`, file), keys);
    });
  }

  test("an empty group has no keys and iterates nothing", async () => {
    const f = await File.open(path.join(dir, "empty.h5"), "w");
    const g = await f.createGroup("empty");
    assert.deepEqual(await g.keys(), []);
    assert.deepEqual([...g], []);
    for await (const entry of g) assert.fail(`unexpected ${entry[0]}`);
    assert.deepEqual(await g.visit(), []);
    await f.close();
  });
});

describe("has, delete and links", () => {
  for (const form of FORMS) {
    test(`[${form}] has(): objects, nested and absolute paths, missing intermediates, dangling links`, async () => {
      const f = await File.open(path.join(dir, `has-${form}.h5`), "w");
      await f.createDataset("a/b/ds", { data: [1] });
      await f.softLink("a/toB", "/a/b");
      await f.softLink("a/dangling", "/no/such/thing");
      const b = await f.group("a/b");
      const table: [Group, string, boolean][] = [
        [f, "a", true], [f, "a/b", true], [f, "a/b/ds", true], [f, "/a/b/ds", true], [f, "/", true],
        [b, "ds", true], [b, "/a", true], [b, "/a/b/ds", true], [b, "a", false],
        [f, "missing", false], [f, "a/missing", false], [f, "missing/b/ds", false], [f, "a/missing/ds", false],
        [f, "a/toB", true], [f, "a/toB/ds", true], [f, "a/toB/missing", false],
        [f, "a/dangling", false], [f, "a/dangling/deeper", false],
        [f, "a/b/ds/inside", false],
      ];
      for (const [group, name, expected] of table) {
        assert.equal(await invoke(form, group, "has", name), expected, `${group.name} has ${name}`);
      }
      // The dangling link is a link all the same: it is listed, and linkInfo describes it.
      assert.deepEqual(await invoke(form, f, "keys"), ["a"]);
      assert.deepEqual(await invoke(form, await f.group("a"), "keys"), ["b", "dangling", "toB"]);
      assert.deepEqual(await invoke(form, f, "linkInfo", "a/dangling"), { type: "soft", target: "/no/such/thing" });
      await rejects(() => invoke(form, f, "get", "a/dangling"), /no such object/, "/a/dangling");
      await f.close();
    });

    test(`[${form}] delete() removes links; an object lives on while another hard link remains`, async () => {
      const file = path.join(dir, `delete-${form}.h5`);
      const f = await File.open(file, "w");
      await f.createDataset("t/x/d", { data: Int32Array.of(4, 5, 6) });
      await f.createDataset("t/x/e", { data: Int32Array.of(7) });
      await f.createGroup("t/x/sub/deeper");
      await f.createDataset("t/gone", { data: [1] });
      await f.hardLink("t/alias", "/t/x/d");
      await f.softLink("t/soft", "/t/x");

      await invoke(form, f, "delete", "t/gone");
      assert.equal(await f.has("t/gone"), false);
      await invoke(form, await f.group("t"), "delete", "x"); // a group with everything below it
      assert.equal(await f.has("t/x"), false);
      assert.equal(await f.has("t/x/d"), false);
      assert.equal(await f.has("t/soft"), false, "the soft link now dangles");
      assert.equal(await f.has("t/alias"), true);
      assert.deepEqual(Array.from((await (await f.dataset("t/alias")).read()).data as Int32Array), [4, 5, 6]);
      assert.deepEqual(await f.group("t").then((t) => t.keys()), ["alias", "soft"]);
      await invoke(form, f, "delete", "/t/soft");
      await rejects(() => invoke(form, f, "delete", "t/soft"), /no such link/, "/t/soft");
      await f.close();

      assert.deepEqual(python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); names = []
f.visit(names.append)
print(json.dumps([names, f["t/alias"][()].tolist()]))`, file), [["t", "t/alias"], [4, 5, 6]]);
    });

    test(`[${form}] soft, hard and external links: linkInfo(), reading through them, and h5py's view`, async () => {
      const other = path.join(dir, `remote-${form}.h5`);
      const r = await File.open(other, "w");
      await r.createDataset("remote/v", { data: Float64Array.of(3.25, 4.5) });
      await r.close();

      const file = path.join(dir, `links-${form}.h5`);
      const f = await File.open(file, "w", { external: "follow" }); // reads through its external link below
      await f.createDataset("data/values", { data: Int32Array.of(10, 20, 30) });
      const links = await f.createGroup("links");
      await invoke(form, links, "softLink", "soft", "/data/values");
      await invoke(form, links, "softLink", "relative", "../data/values"); // dangles: soft links are not resolved ../
      await invoke(form, f, "softLink", "links/dangling", "/nowhere");
      await invoke(form, links, "hardLink", "hard", "/data/values");
      await invoke(form, links, "externalLink", "ext", other, "/remote/v");
      await invoke(form, f, "externalLink", "links/extMissing", path.join(dir, "does-not-exist.h5"), "/x");
      await invoke(form, f, "softLink", "links/nested/deep/soft", "/data"); // intermediate groups made

      assert.deepEqual(await invoke(form, links, "linkInfo", "soft"), { type: "soft", target: "/data/values" });
      assert.deepEqual(await invoke(form, f, "linkInfo", "links/dangling"), { type: "soft", target: "/nowhere" });
      assert.deepEqual(await invoke(form, f, "linkInfo", "links/hard"), { type: "hard" });
      assert.deepEqual(await invoke(form, f, "linkInfo", "data/values"), { type: "hard" });
      assert.deepEqual(await invoke(form, links, "linkInfo", "ext"), { type: "external", file: other, target: "/remote/v" });
      assert.deepEqual(await invoke(form, links, "linkInfo", "extMissing"), { type: "external", file: path.join(dir, "does-not-exist.h5"), target: "/x" });
      assert.deepEqual(await invoke(form, f, "linkInfo", "links/nested/deep/soft"), { type: "soft", target: "/data" });
      await rejects(() => invoke(form, f, "linkInfo", "links/none"), /no such link/, "/links/none");
      await rejects(() => invoke(form, f, "linkInfo", "none/at/all"), /no such link/, "/none/at/all");

      const viaSoft = await invoke<Dataset>(form, links, "dataset", "soft");
      const viaHard = await invoke<Dataset>(form, links, "dataset", "hard");
      assert.deepEqual(Array.from((await viaSoft.read()).data as Int32Array), [10, 20, 30]);
      await viaHard.write(Int32Array.of(11, 21, 31), undefined);
      assert.deepEqual(Array.from((await (await f.dataset("data/values")).read()).data as Int32Array), [11, 21, 31], "a hard link is the same object");
      const viaExt = await invoke<Dataset>(form, links, "dataset", "ext");
      assert.deepEqual(Array.from((await viaExt.read()).data as Float64Array), [3.25, 4.5]);
      await viaExt.close();
      assert.equal(await invoke(form, links, "has", "extMissing"), false);
      await rejects(() => invoke(form, links, "get", "extMissing"), /no such object/, "/links/extMissing");
      assert.deepEqual((await invoke<Group>(form, f, "group", "links/nested/deep/soft")).name, "/links/nested/deep/soft");

      // Async iteration skips links that lead nowhere; keys() lists them all.
      assert.deepEqual(await links.keys(), ["dangling", "ext", "extMissing", "hard", "nested", "relative", "soft"]);
      const reached: string[] = [];
      for await (const [name, object] of pairsOf(links)) {
        reached.push(name);
        await object.close();
      }
      assert.deepEqual(reached, ["ext", "hard", "nested", "soft"]);
      await f.close();

      const seen = python<Record<string, unknown>>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); out = {}
for name in f["links"]:
    link = f["links"].get(name, getlink=True)
    entry = {"class": type(link).__name__}
    if isinstance(link, h5py.SoftLink): entry["path"] = link.path
    if isinstance(link, h5py.ExternalLink): entry.update(filename=link.filename, path=link.path)
    out[name] = entry
out["values"] = f["links/soft"][()].tolist()
out["ext"]["values"] = f["links/ext"][()].tolist()
out["hardIsSame"] = f["links/hard"] == f["data/values"]
print(json.dumps(out))`, file);
      assert.deepEqual(seen, {
        dangling: { class: "SoftLink", path: "/nowhere" },
        ext: { class: "ExternalLink", filename: other, path: "/remote/v", values: [3.25, 4.5] },
        extMissing: { class: "ExternalLink", filename: path.join(dir, "does-not-exist.h5"), path: "/x" },
        hard: { class: "HardLink" },
        nested: { class: "HardLink" },
        relative: { class: "SoftLink", path: "../data/values" },
        soft: { class: "SoftLink", path: "/data/values" },
        values: [11, 21, 31],
        hardIsSame: true,
      });
    });
  }

  test(
    "closing a file releases what was opened through its external links",
    async () => {
      const other = path.join(dir, "released.h5");
      const r = await File.open(other, "w");
      await r.createDataset("v", { data: [1, 2] });
      await r.close();
      const f = await File.open(path.join(dir, "linking.h5"), "w", { external: "follow" });
      await f.externalLink("ext", other, "/v");
      const viaExt = await f.dataset("ext");
      assert.deepEqual(Array.from((await viaExt.read()).data as Float64Array), [1, 2]);
      await f.close();
      assert.equal(viaExt.isOpen, false);
      await viaExt.close();
      // HDF5 refuses to truncate a file it still has open.
      const again = await File.open(other, "w");
      await again.close();
    },
  );
});

describe("visit", () => {
  const file = path.join(dir, "visit.h5");

  test("visit() lists every object once, in h5py's order, with h5py's kinds (root and subgroup)", async () => {
    const f = await File.open(file, "w");
    await f.createGroup("z/empty");
    await f.createDataset("b/x", { data: [1] });
    await f.createDataset("b/c/y", { data: [2] });
    await f.createDataset("a", { data: ["s"] });
    await f.createGroup("b/c/d/e");
    await f.hardLink("b/c/alias", "/b/x"); // one object, two names: visited once
    await f.softLink("b/soft", "/z"); // soft links are not followed
    await f.softLink("dangling", "/nowhere");
    const sub = await f.group("b");
    const entries = await f.visit();
    const subEntries = sub.visitSync();
    await f.close();

    const root = h5pyVisit(file);
    assert.deepEqual(entries.map((e) => [e.path, e.kind]), root);
    assert.deepEqual(subEntries.map((e) => [e.path, e.kind]), h5pyVisit(file, "/b"));
    // Spelled out, so a wrong h5py call cannot make both sides agree on nothing.
    assert.deepEqual(root, [
      ["a", "dataset"], ["b", "group"], ["b/c", "group"], ["b/c/alias", "dataset"], ["b/c/d", "group"],
      ["b/c/d/e", "group"], ["b/c/y", "dataset"], ["z", "group"], ["z/empty", "group"],
    ]);
  });

  for (const form of FORMS) {
    test(`[${form}] visit(callback) stops at the first value the callback returns`, async () => {
      const f = await File.open(file, "r");
      const seen: string[] = [];
      const found = await invoke(form, f, "visit", (p: string, kind: string) => {
        seen.push(p);
        return kind === "dataset" && p.startsWith("b/") ? `found ${p}` : undefined;
      });
      assert.equal(found, "found b/c/alias");
      assert.deepEqual(seen, ["a", "b", "b/c", "b/c/alias"], "no call after the one that returned a value");

      let calls = 0;
      assert.equal(await invoke(form, f, "visit", () => { calls++; return calls === 1 ? 0 : undefined; }), 0, "0 is a value too");
      assert.equal(calls, 1);

      const all: [string, string][] = [];
      const none = await invoke(form, f, "visit", (p: string, kind: string) => { all.push([p, kind]); });
      assert.equal(none, undefined);
      assert.equal(all.length, 9);
      await f.close();
    });
  }
});

describe("trees written by h5py", () => {
  test("h5dat reads h5py's groups, datasets and links as h5py sees them", async () => {
    const file = path.join(dir, "from-h5py.h5");
    const other = path.join(dir, "from-h5py-other.h5");
    const truth = python<{ keys: Record<string, string[]>; visit: [string, string][] }>(`import h5py, json, sys
import numpy as np
with h5py.File(sys.argv[2], "w") as o:
    o["elsewhere/v"] = np.arange(4, dtype="<i2")
f = h5py.File(sys.argv[1], "w")
f.create_group("empty")
f["grp/sub/values"] = np.linspace(0, 1, 5)
f["grp/names"] = np.array([b"x", b"yy"])
f["grp/sub"].attrs["unit"] = "m"
f["types/t"] = np.dtype("<f4")
f["alias"] = f["grp/sub/values"]
f["grp/soft"] = h5py.SoftLink("/grp/sub")
f["dangling"] = h5py.SoftLink("/nowhere")
f["ext"] = h5py.ExternalLink(sys.argv[2], "/elsewhere/v")
kinds = {h5py.Group: "group", h5py.Dataset: "dataset", h5py.Datatype: "datatype"}
out = []
f.visititems(lambda n, o: out.append([n, kinds[type(o)]]))
keys = {g: list(f[g].keys()) for g in ["/", "grp", "grp/sub", "types", "empty"]}
f.close()
print(json.dumps({"keys": keys, "visit": out}))`, file, other);

    const f = await File.open(file, "r", { external: "follow" });
    for (const [group, keys] of Object.entries(truth.keys)) {
      assert.deepEqual(await (await f.group(group)).keys(), keys, `keys of ${group}`);
    }
    assert.deepEqual((await f.visit()).map((e) => [e.path, e.kind]), truth.visit);
    assert.deepEqual(truth.visit.map(([p]) => p), ["alias", "empty", "grp", "grp/names", "grp/sub", "types", "types/t"]);

    assert.deepEqual(await f.linkInfo("grp/soft"), { type: "soft", target: "/grp/sub" });
    assert.deepEqual(await f.linkInfo("dangling"), { type: "soft", target: "/nowhere" });
    assert.deepEqual(await f.linkInfo("ext"), { type: "external", file: other, target: "/elsewhere/v" });
    assert.deepEqual(await f.linkInfo("alias"), { type: "hard" });
    assert.equal(await f.has("dangling"), false);
    assert.equal(await f.has("grp/soft/values"), true);
    assert.equal(await f.has("ext"), true);

    assert.deepEqual(Array.from((await (await f.dataset("alias")).read()).data as Float64Array), [0, 0.25, 0.5, 0.75, 1]);
    assert.equal(await (await f.group("grp/soft")).attrs.get("unit"), "m");
    const ext = await f.dataset("ext");
    assert.deepEqual(Array.from((await ext.read()).data as Int16Array), [0, 1, 2, 3]);
    await ext.close();
    const names = await f.dataset("grp/names");
    assert.deepEqual((await names.read()).data, ["x", "yy"]);

    // A named datatype comes back as a Datatype with its dtype; group()/dataset() reject it.
    const named = await f.get("types/t");
    assert.ok(named instanceof Datatype);
    assert.equal(named.dtype, "float32");
    assert.equal(named.name, "/types/t");
    assert.equal((f.getSync("types/t") as Datatype).dtype, "float32");
    await rejects(() => f.dataset("types/t"), /is a named datatype, expected a dataset/, "/types/t");
    assert.throws(() => f.groupSync("types/t"), H5Error);
    for await (const [name, object] of pairsOf(await f.group("types"))) assert.deepEqual([name, object instanceof Datatype], ["t", true]);

    const reached: [string, string][] = [];
    for await (const [name, object] of pairsOf(f)) {
      reached.push([name, object instanceof Dataset ? "dataset" : object instanceof Datatype ? "datatype" : "group"]);
      await object.close();
    }
    assert.deepEqual(reached, [["alias", "dataset"], ["empty", "group"], ["ext", "dataset"], ["grp", "group"], ["types", "group"]]);
    await f.close();
  });
});

test("commitDatatype stores a named datatype h5py sees, and h5dat reads back", async () => {
  const file = path.join(dir, "named-types.h5");
  const f = await File.open(file, "w");
  await f.commitDatatype("types/point", { kind: "compound", fields: [{ name: "x", dtype: "float64" }, { name: "label", dtype: "string" }] });
  f.commitDatatypeSync("types/code", "int16");
  await assert.rejects(f.commitDatatype("types/code", "int8"), H5Error);
  const point = await f.get("types/point");
  assert.ok(point instanceof Datatype);
  assert.deepEqual(point.dtype, { kind: "compound", size: 16, fields: [{ name: "x", dtype: "float64", offset: 0 }, { name: "label", dtype: "string", offset: 8 }] });
  await f.close();
  const seen = python<Record<string, string>>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({k: type(f["types"][k]).__name__ + ":" + str(f["types"][k].dtype) for k in f["types"]}))`, file);
  assert.deepEqual(seen, { code: "Datatype:int16", point: "Datatype:[('x', '<f8'), ('label', 'O')]" });
});
