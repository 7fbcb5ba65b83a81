// Tar files written by Python's tarfile (GNU format: long names, any name bytes), with the
// members no directory walk makes: symlinks and hardlinks, fifos and devices, names that are not
// UTF-8, '..', absolute paths, two members of one name.
import { python } from "../../helpers/h5py";
import { withSpecFile } from "./tree";

export interface TarMember {
  /** Text, or raw bytes (a name that is not UTF-8). */
  name: string | Buffer;
  data?: string | Buffer;
  type?: "file" | "symlink" | "hardlink" | "fifo" | "character device";
  /** A link's target. */
  link?: string;
}

/** Writes `members` as `file`; `compression` "gz" makes a tar.gz. */
export function writeTar(file: string, members: TarMember[], compression: "" | "gz" = ""): void {
  const encoded = members.map((m) => ({
    name: (typeof m.name === "string" ? Buffer.from(m.name, "utf8") : m.name).toString("base64"),
    data: m.data === undefined ? "" : Buffer.from(m.data).toString("base64"),
    type: m.type ?? "file",
    link: m.link ?? "",
  }));
  withSpecFile(file, encoded, (spec) => python(`import base64, io, json, sys, tarfile
types = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "character device": tarfile.CHRTYPE}
mode = "w:gz" if sys.argv[3] == "gz" else "w"
# surrogateescape: a name's bytes go into the archive as they are, UTF-8 or not.
with tarfile.open(sys.argv[1], mode, format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
    for m in json.load(open(sys.argv[2])):
        info = tarfile.TarInfo(base64.b64decode(m["name"]).decode("utf-8", "surrogateescape"))
        info.mtime = 1700000000
        data = base64.b64decode(m["data"])
        if m["type"] == "file":
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        else:
            info.type = types[m["type"]]
            info.linkname = m["link"]
            t.addfile(info)
print("null")`, file, spec, compression));
}
