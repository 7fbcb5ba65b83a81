// Classification of real files: images from PIL, WAV from Python's wave, archives from
// zipfile/tarfile/gzip/bz2/lzma, HDF5 from h5py (with userblocks), and hand-built headers for the
// containers Python cannot write (MP4/MOV/M4A/HEIF/AVIF boxes, EBML, AVI, MP3, FLAC, Ogg, 7z).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { HEAD_BYTES, classify, decide, type Classification, type ClassifyOptions } from "../../src/classify";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-classify-");

python(`import bz2, gzip, io, json, lzma, os, sys, tarfile, wave, zipfile
import h5py, numpy as np
from PIL import Image
out = sys.argv[1]
p = lambda name: os.path.join(out, name)
img = Image.new("RGB", (16, 16), (200, 30, 90))
for name, fmt in [("img.png", "PNG"), ("img.jpg", "JPEG"), ("img.gif", "GIF"), ("img.tif", "TIFF"),
                  ("img.bmp", "BMP"), ("img.ico", "ICO"), ("img.webp", "WEBP"),
                  ("png-named.jpg", "PNG"), ("png-noext", "PNG")]:
    img.save(p(name), fmt)
with wave.open(p("tone.wav"), "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(b"\\0\\1" * 800)
csv = b"id,name\\n" + b"".join(b"%d,row%d\\n" % (i, i) for i in range(5000))
rows = json.dumps([{"id": i, "name": "row%d" % i} for i in range(3000)]).encode()
open(p("big.json"), "wb").write(rows)
for name, raw in [("data.csv.gz", csv), ("data.json.gz", rows), ("data.gz", rows)]:
    open(p(name), "wb").write(gzip.compress(raw))
open(p("photo.png.gz"), "wb").write(gzip.compress(open(p("img.png"), "rb").read()))
open(p("data.csv.xz"), "wb").write(lzma.compress(csv))
open(p("data.bz2"), "wb").write(bz2.compress(csv))
for mode, name in [("w", "files.tar"), ("w:gz", "files.tar.gz"), ("w:gz", "files.tgz"), ("w:xz", "files.tar.xz"), ("w:bz2", "files.tar.bz2")]:
    with tarfile.open(p(name), mode) as t:
        t.add(p("img.png"), "img.png")
with zipfile.ZipFile(p("files.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(p("img.png"), "img.png")
zipfile.ZipFile(p("empty.zip"), "w").close()
for name, userblock in [("plain.h5", 0), ("ub512.h5", 512), ("ub2048.h5", 2048), ("ub4096.h5", 4096)]:
    with h5py.File(p(name), "w", userblock_size=userblock) as f:
        f["x"] = np.arange(10)
# A tar whose first member is an HDF5 file: the HDF5 signature lands at offset 512.
with tarfile.open(p("h5s.tar"), "w", format=tarfile.USTAR_FORMAT) as t:
    t.add(p("plain.h5"), "plain.h5")
print("{}")`, dir);

// ISO base media: a ftyp box (size, "ftyp", major brand, minor version, compatible brands).
function ftyp(major: string, ...compatible: string[]): Buffer {
  const brands = Buffer.from([major, "\0\0\0\0", ...compatible].join(""), "latin1");
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + brands.length);
  // A free box after it, as muxers write, so the head is more than the ftyp box.
  return Buffer.concat([size, Buffer.from("ftyp"), brands, Buffer.from("\0\0\0\x08free", "latin1")]);
}

// EBML header: version elements, then DocType (0x4282) with a one-byte size.
function ebml(docType: string): Buffer {
  const body = Buffer.concat([
    Buffer.from([0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08]),
    Buffer.from([0x42, 0x82, 0x80 | docType.length]),
    Buffer.from(docType, "latin1"),
  ]);
  return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length]), body]);
}

function riff(form: string, chunk: string): Buffer {
  return Buffer.concat([Buffer.from("RIFF"), Buffer.from([36, 0, 0, 0]), Buffer.from(form + chunk, "latin1"), Buffer.alloc(24)]);
}

// An Ogg page header (version 0, first page, one segment) around a codec's identification packet.
function oggPage(packet: string): Buffer {
  const header = Buffer.concat([Buffer.from("OggS\0\x02", "latin1"), Buffer.alloc(20), Buffer.from([1, packet.length])]);
  return Buffer.concat([header, Buffer.from(packet, "latin1")]);
}

// An MPEG-1 Layer III frame header (FF FB 90 64: 128 kbit/s, 44.1 kHz) followed by its payload.
const MP3_FRAME = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
// ID3v2.4 header with a 10-byte tag (syncsafe size), then what the tag precedes.
const id3 = (rest: Buffer): Buffer => Buffer.concat([Buffer.from("ID3\x04\0\0\0\0\0\x0a", "latin1"), Buffer.alloc(10), rest]);
const FLAC = Buffer.concat([Buffer.from("fLaC\x80\0\0\x22", "latin1"), Buffer.alloc(34)]);

const handBuilt: Record<string, Buffer> = {
  "clip.mp4": ftyp("isom", "isom", "iso2", "avc1", "mp41"),
  "clip.mov": ftyp("qt  ", "qt  "),
  "song.m4a": ftyp("M4A ", "M4A ", "mp42", "isom"),
  "pic.avif": ftyp("avif", "avif", "mif1", "miaf"),
  "pic.heic": ftyp("heic", "mif1", "heic"),
  "pic.heif": ftyp("mif1", "mif1"),
  "clip.mkv": ebml("matroska"),
  "clip.webm": ebml("webm"),
  "clip.avi": riff("AVI ", "LIST"),
  "tagged.mp3": id3(MP3_FRAME),
  "bare.mp3": MP3_FRAME,
  "song.flac": FLAC,
  "tagged.flac": id3(FLAC),
  "song.ogg": oggPage("\x01vorbis\0\0\0\0\x01\x44\xac\0\0"),
  "clip.ogv": oggPage("\x80theora\x03\x02\x01"),
  "files.7z": Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), Buffer.alloc(24)]),
  "doc.pdf": Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1"),
  "plain.svg": Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'),
  "decl.xml": Buffer.from(
    '\ufeff  <?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator: hand -->\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg version="1.1">\n</svg>\n',
  ),
  "page.xml": Buffer.from('<?xml version="1.0"?>\n<html><body>not svg</body></html>\n'),
  "records": Buffer.from('{"a": 1, "b": [true, null]}\n{"a": 2, "b": []}\n'),
  "document": Buffer.from('\n  {\n    "a": 1,\n    "b": "x"\n  }\n'),
  "lines.json": Buffer.from('[1, 2]\n[3, 4]\n'),
  "lines.ndjson": Buffer.from('{"a": 1}\n{"a": 2}\n'),
  "bom.json": Buffer.from('\ufeff \r\n\t{"k": "v"}'),
  "scalar.json": Buffer.from("42\n"),
  "scalar-noext": Buffer.from("42\n"),
  "not-json.json": Buffer.from("hello, world\n"),
  "csv-named.json": Buffer.from("a,b\n1,2\n"),
  "table.csv": Buffer.from("a,b\n1,2\n"),
  "table.tsv": Buffer.from("a\tb\n1\t2\n"),
  "table-noext": Buffer.from("a,b\n1,2\n"),
  "latin1.csv": Buffer.from("name\ncaf\xe9\n", "latin1"),
  "binary.csv": Buffer.from([0x61, 0x2c, 0x00, 0x01, 0x02, 0xfe]),
  "garbage.jpg": Buffer.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]),
  "garbage.xyz": Buffer.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]),
  "garbage.dat": Buffer.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]),
  "pdf-named.xyz": Buffer.from("%PDF-1.4\n", "latin1"),
  "png-named.xyz": fs.readFileSync(path.join(dir, "img.png")),
  "zip-named.csv": fs.readFileSync(path.join(dir, "files.zip")),
  "empty.bin": Buffer.alloc(0),
  "not-gzip.gz": Buffer.from('{"plain": true}\n'),
  "not-gzip.csv.gz": Buffer.from("a,b\n1,2\n"),
};
for (const [name, bytes] of Object.entries(handBuilt)) fs.writeFileSync(path.join(dir, name), bytes);

/** Reads the head the way a caller does: the first HEAD_BYTES bytes (or fewer) of the file. */
function headOf(name: string, bytes = HEAD_BYTES): Buffer {
  const fd = fs.openSync(path.join(dir, name), "r");
  try {
    const head = Buffer.alloc(bytes);
    return head.subarray(0, fs.readSync(fd, head, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function classifyFile(name: string, options?: ClassifyOptions): Classification {
  return classify(name, headOf(name), options);
}

type Expected = Partial<Classification>;
const cases: Record<string, Expected> = {
  "img.png": { mediaType: "image/png", category: "image", extension: "png", by: "magic" },
  "img.jpg": { mediaType: "image/jpeg", category: "image", extension: "jpg", by: "magic" },
  "img.gif": { mediaType: "image/gif", category: "image", by: "magic" },
  "img.tif": { mediaType: "image/tiff", category: "image", extension: "tif", by: "magic" },
  "img.bmp": { mediaType: "image/bmp", category: "image", by: "magic" },
  "img.ico": { mediaType: "image/vnd.microsoft.icon", category: "image", by: "magic" },
  "img.webp": { mediaType: "image/webp", category: "image", by: "magic" },
  "pic.avif": { mediaType: "image/avif", category: "image", by: "magic" },
  "pic.heic": { mediaType: "image/heic", category: "image", by: "magic" },
  "pic.heif": { mediaType: "image/heif", category: "image", by: "magic" },
  "plain.svg": { mediaType: "image/svg+xml", category: "image", by: "magic" },
  "decl.xml": { mediaType: "image/svg+xml", category: "image", extension: "svg", nameExtension: "xml", by: "magic" },
  "page.xml": { mediaType: "application/octet-stream", category: "bytes", by: "content" },
  // The lying extension: the bytes are a PNG, so it is a PNG.
  "png-named.jpg": { mediaType: "image/png", category: "image", extension: "png", nameExtension: "jpg", by: "magic" },
  "png-noext": { mediaType: "image/png", category: "image", extension: "png", nameExtension: "", by: "magic" },
  "zip-named.csv": { mediaType: "application/zip", category: "archive", nameExtension: "csv", by: "magic" },
  "clip.mp4": { mediaType: "video/mp4", category: "video", extension: "mp4", by: "magic" },
  "clip.mov": { mediaType: "video/quicktime", category: "video", extension: "mov", by: "magic" },
  "song.m4a": { mediaType: "audio/mp4", category: "audio", extension: "m4a", by: "magic" },
  "clip.mkv": { mediaType: "video/x-matroska", category: "video", by: "magic" },
  "clip.webm": { mediaType: "video/webm", category: "video", by: "magic" },
  "clip.avi": { mediaType: "video/x-msvideo", category: "video", by: "magic" },
  "tone.wav": { mediaType: "audio/wav", category: "audio", by: "magic" },
  "tagged.mp3": { mediaType: "audio/mpeg", category: "audio", by: "magic" },
  "bare.mp3": { mediaType: "audio/mpeg", category: "audio", by: "magic" },
  "song.flac": { mediaType: "audio/flac", category: "audio", by: "magic" },
  "tagged.flac": { mediaType: "audio/flac", category: "audio", by: "magic" },
  "song.ogg": { mediaType: "audio/ogg", category: "audio", by: "magic" },
  "clip.ogv": { mediaType: "video/ogg", category: "video", by: "magic" },
  "plain.h5": { mediaType: "application/x-hdf5", category: "hdf5", extension: "h5", by: "magic" },
  "ub512.h5": { mediaType: "application/x-hdf5", category: "hdf5", by: "magic" },
  "ub2048.h5": { mediaType: "application/x-hdf5", category: "hdf5", by: "magic" },
  "h5s.tar": { mediaType: "application/x-tar", category: "archive", by: "magic" },
  "files.zip": { mediaType: "application/zip", category: "archive", by: "magic" },
  "empty.zip": { mediaType: "application/zip", category: "archive", by: "magic" },
  "files.tar": { mediaType: "application/x-tar", category: "archive", extension: "tar", by: "magic" },
  "files.7z": { mediaType: "application/x-7z-compressed", category: "archive", by: "magic" },
  "doc.pdf": { mediaType: "application/pdf", category: "bytes", extension: "pdf", by: "magic" },
  // Compound extensions: the type inside matters for text and tar; compression says how to open it.
  "data.csv.gz": { mediaType: "text/csv", category: "csv", compression: "gzip", extension: "csv.gz", nameExtension: "csv.gz", by: "extension" },
  "data.json.gz": { mediaType: "application/json", category: "json", compression: "gzip", extension: "json.gz", by: "extension" },
  "data.gz": { mediaType: "application/json", category: "json", compression: "gzip", extension: "json.gz", nameExtension: "gz", by: "content" },
  "data.csv.xz": { mediaType: "text/csv", category: "csv", compression: "xz", extension: "csv.xz", by: "extension" },
  "data.bz2": { mediaType: "application/x-bzip2", category: "archive", compression: undefined, extension: "bz2", by: "magic" },
  "photo.png.gz": { mediaType: "application/gzip", category: "archive", compression: undefined, extension: "gz", nameExtension: "png.gz" },
  "files.tar.gz": { mediaType: "application/x-tar", category: "archive", compression: "gzip", extension: "tar.gz", nameExtension: "tar.gz", by: "magic" },
  "files.tgz": { mediaType: "application/x-tar", category: "archive", compression: "gzip", extension: "tar.gz", nameExtension: "tgz", by: "magic" },
  "files.tar.xz": { mediaType: "application/x-tar", category: "archive", compression: "xz", extension: "tar.xz", by: "extension" },
  "files.tar.bz2": { mediaType: "application/x-tar", category: "archive", compression: "bzip2", extension: "tar.bz2", by: "extension" },
  // A compression suffix without the compressor's signature: the bytes are what they are.
  "not-gzip.gz": { mediaType: "application/json", category: "json", compression: undefined, nameExtension: "gz", by: "content" },
  "not-gzip.csv.gz": { mediaType: "text/csv", category: "csv", compression: undefined, nameExtension: "csv.gz", by: "extension" },
  // Text: JSON is validated, JSON Lines recognised, CSV/TSV must be text.
  "big.json": { mediaType: "application/json", category: "json", by: "extension" },
  "records": { mediaType: "application/jsonl", category: "jsonl", extension: "jsonl", by: "content" },
  "document": { mediaType: "application/json", category: "json", extension: "json", by: "content" },
  "lines.json": { mediaType: "application/jsonl", category: "jsonl", by: "content" },
  "lines.ndjson": { mediaType: "application/jsonl", category: "jsonl", extension: "jsonl", nameExtension: "ndjson", by: "extension" },
  "bom.json": { category: "json", by: "extension" },
  "scalar.json": { category: "json", by: "extension" },
  "scalar-noext": { category: "bytes" },
  "not-json.json": { mediaType: "application/octet-stream", category: "bytes", by: "content" },
  "csv-named.json": { category: "bytes" },
  "table.csv": { mediaType: "text/csv", category: "csv", by: "extension" },
  "table.tsv": { mediaType: "text/tab-separated-values", category: "tsv", by: "extension" },
  "table-noext": { category: "bytes" },
  "latin1.csv": { category: "csv", by: "extension" },
  "binary.csv": { mediaType: "application/octet-stream", category: "bytes" },
  // No signature: the extension decides.
  "garbage.jpg": { mediaType: "image/jpeg", category: "image", by: "extension" },
  "garbage.xyz": { mediaType: "application/octet-stream", category: "bytes", extension: "xyz", by: "content" },
  "empty.bin": { mediaType: "application/octet-stream", category: "bytes" },
};

for (const [name, expected] of Object.entries(cases)) {
  test(`${name} → ${expected.mediaType ?? expected.category} (${expected.by ?? "any"})`, () => {
    const got = classifyFile(name);
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(got[key as keyof Classification], value, `${name}.${key}: ${JSON.stringify(got)}`);
    }
  });
}

test("a big JSON file cut at HEAD_BYTES is still JSON (the head is a valid prefix)", () => {
  assert.ok(fs.statSync(path.join(dir, "big.json")).size > HEAD_BYTES);
  assert.equal(classify("big", headOf("big.json")).category, "json");
  // The same bytes cut mid-string and mid-number are prefixes too.
  const whole = fs.readFileSync(path.join(dir, "big.json"));
  for (const cut of [1, 2, 10, 11, 13, 17, 100]) assert.equal(classify("big", whole.subarray(0, cut)).category, "json", `cut ${cut}`);
});

test("HDF5 userblocks: 4096 bytes is past HEAD_BYTES, found when the caller passes more", () => {
  assert.equal(classify("ub4096.h5", headOf("ub4096.h5")).by, "extension");
  assert.equal(classify("ub4096.bin", headOf("ub4096.h5")).category, "bytes");
  const more = classify("ub4096.bin", headOf("ub4096.h5", 2 * HEAD_BYTES + 8));
  assert.deepEqual([more.mediaType, more.by], ["application/x-hdf5", "magic"]);
});

test("a PNG head truncated inside the signature is not a PNG", () => {
  const png = headOf("img.png");
  assert.equal(classify("x", png.subarray(0, 7)).category, "bytes");
  assert.equal(classify("x", png.subarray(0, 8)).mediaType, "image/png");
});

test("names: directories, upper case and hidden files", () => {
  const png = headOf("img.png");
  const garbage = headOf("garbage.jpg");
  assert.equal(classify("a/b.c/PHOTO.JPG", garbage).mediaType, "image/jpeg");
  assert.equal(classify("a\\b\\PHOTO.JPEG", garbage).extension, "jpg");
  assert.equal(classify(".png", garbage).nameExtension, "");
  assert.equal(classify("dir.png/file", png).nameExtension, "");
});

test("image_extensions replaces the image list; non-image magic still wins", () => {
  const options: ClassifyOptions = { imageExtensions: [".XYZ", "png"] };
  assert.deepEqual(pick(classifyFile("garbage.xyz", options)), ["image/x-xyz", "image", "extension"]);
  assert.deepEqual(pick(classifyFile("pdf-named.xyz", options)), ["application/pdf", "bytes", "magic"]);
  assert.deepEqual(pick(classifyFile("png-named.xyz", options)), ["image/png", "image", "magic"]);
  // .jpg is no longer listed: garbage named .jpg is just bytes, a real JPEG is still a JPEG.
  assert.deepEqual(pick(classifyFile("garbage.jpg", options)), ["application/octet-stream", "bytes", "content"]);
  assert.deepEqual(pick(classifyFile("img.jpg", options)), ["image/jpeg", "image", "magic"]);
});

test("video_extensions replaces the video list", () => {
  assert.deepEqual(pick(classifyFile("garbage.dat", { videoExtensions: ["dat"] })), ["video/x-dat", "video", "extension"]);
  assert.equal(classifyFile("garbage.dat").category, "bytes");
  assert.equal(classify("x.mp4", headOf("garbage.dat")).category, "video");
  assert.equal(classify("x.mp4", headOf("garbage.dat"), { videoExtensions: ["dat"] }).category, "bytes");
  assert.equal(classifyFile("clip.mp4", { videoExtensions: ["dat"] }).mediaType, "video/mp4");
});

test("decide: without allowed_types everything is processed", () => {
  assert.deepEqual(decide(classifyFile("doc.pdf")), { action: "process" });
  assert.deepEqual(decide(classifyFile("doc.pdf"), { allowedTypes: [] }), { action: "process" });
});

test("decide: allowed_types by category, media type and wildcard", () => {
  const pdf = classifyFile("doc.pdf");
  const skipped = decide(pdf, { allowedTypes: ["image", "csv"] });
  assert.equal(skipped.action, "skip");
  assert.match(skipped.reason ?? "", /^type application\/pdf \(category bytes\) is not in allowed_types \[image, csv\]$/);
  assert.equal(decide(pdf, { allowedTypes: ["application/pdf"] }).action, "process");
  assert.equal(decide(pdf, { allowedTypes: ["bytes"] }).action, "process");

  const jpeg = classifyFile("img.jpg");
  assert.equal(decide(jpeg, { allowedTypes: ["image/png"] }).action, "skip");
  assert.equal(decide(jpeg, { allowedTypes: ["image/*"] }).action, "process");
  assert.equal(decide(jpeg, { allowedTypes: ["Image/JPEG"] }).action, "process");
  assert.equal(decide(jpeg, { allowedTypes: ["video/*"] }).action, "skip");
  // The lying .jpg is a PNG, so a PNG-only filter keeps it.
  assert.equal(decide(classifyFile("png-named.jpg"), { allowedTypes: ["image/png"] }).action, "process");
  // A compressed CSV is a CSV.
  assert.equal(decide(classifyFile("data.csv.gz"), { allowedTypes: ["csv"] }).action, "process");
  assert.equal(decide(classifyFile("data.csv.gz"), { allowedTypes: ["json"] }).action, "skip");
});

test("decide: archives are opened whatever allowed_types says (their entries are decided one by one)", () => {
  for (const name of ["files.zip", "files.tar.gz", "photo.png.gz"]) {
    assert.deepEqual(decide(classifyFile(name), { allowedTypes: ["image"] }), { action: "process" }, name);
  }
});

test("decide: an allowed_types entry that is neither a category nor a media type is an error", () => {
  const png = classifyFile("img.png");
  assert.throws(() => decide(png, { allowedTypes: ["imgae"] }), {
    name: "TypeError",
    message: /allowed_types: 'imgae' is neither a category \(image, video, .*\) nor a media type like 'image\/png'/,
  });
  assert.throws(() => decide(png, { allowedTypes: ["image", "png"] }), /'png'/);
});

function pick(c: Classification): [string, string, string] {
  return [c.mediaType, c.category, c.by];
}
