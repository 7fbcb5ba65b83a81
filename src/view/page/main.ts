// The page of `h5dat view`: the tree on the left, the selected object on the right; the hash
// (#/path/in/file) says which object is shown, so the manifest's links and the browser's back
// button work. Plain TypeScript and the DOM, bundled by esbuild: nothing to install or build
// for a user, 15 KB for the browser to load.
import { getJson } from "./api";
import { formatBytes, h } from "./dom";
import { showObject } from "./object-panel";
import { TreePanel } from "./tree-panel";

const MANIFEST = "/_h5dat/manifest";

/** The path the hash names, "/" when none. */
const hashPath = () => decodeURIComponent(location.hash.slice(1)) || "/";

async function start(): Promise<void> {
  const tree = new TreePanel(document.getElementById("tree")!, (path) => {
    location.hash = encodeURI(path);
  });
  const objectPane = document.getElementById("object")!;
  const show = () => {
    const path = hashPath();
    void tree.reveal(path);
    void showObject(objectPane, path);
  };
  window.addEventListener("hashchange", show);
  const header = document.getElementById("header")!;
  getJson<{ name: string; bytes: number; manifest: boolean }>("/api/file").then((file) => {
    document.getElementById("file-name")!.textContent = `${file.name} (${formatBytes(file.bytes)})`;
    document.title = `${file.name} — h5dat view`;
    if (file.manifest) header.append(h("button", { class: "manifest-button", onclick: () => (location.hash = MANIFEST) }, "manifest"));
  }, () => undefined);
  header.append(h("button", { class: "expand-all", onclick: () => void tree.expandAll() }, "expand all"));
  await tree.start();
  document.body.dataset.ready = "true";
  show();
}

void start();
