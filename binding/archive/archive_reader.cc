// Archive reading: archiveOpen, archiveNext (the next entry's header, past the entries of other
// shards), archiveRead (a block of the current entry's data), archiveClose. Each job locks its
// reader: one archive is a sequence.
#include "archive/archive_reader.h"
#include "platform/platform.h"

#include <archive.h>
#include <archive_entry.h>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <clocale>
#include <cstdlib>
#include <memory>

#include "core/addon_data.h"
#include "core/h5_failure.h"
#include "core/job.h"
#include "core/operations.h"

namespace h5dat {
namespace {

bool Mentions(std::string text, const char* word) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text.find(word) != std::string::npos;
}

// libarchive's cause of a failure. Some causes do not say that the file simply ended (a cut zip
// gives "ZIP decompression failed (-5)"): when the reader had consumed the whole file, that is
// said too. `remembered` stands in when libarchive has no message (it gives none after a fatal
// error).
std::string CauseOf(struct archive* reader, const std::string& path, const std::string& remembered = "") {
  const char* text = reader ? archive_error_string(reader) : nullptr;
  std::string cause = text ? text : !remembered.empty() ? remembered : "unknown libarchive error";
  struct stat file;
  if (reader && stat(path.c_str(), &file) == 0 && file.st_size > 0 && archive_filter_bytes(reader, -1) >= file.st_size &&
      !Mentions(cause, "truncat") && !Mentions(cause, "crc") && !Mentions(cause, "checksum")) {
    cause += " (truncated: the file ends at byte " + std::to_string(file.st_size) + ")";
  }
  return cause;
}

[[noreturn]] void FailArchive(const std::string& cause, const std::string& action, const std::string& path) {
  H5Failure failure;
  failure.archive = true;
  failure.path = path;
  failure.message = action + " '" + path + "': " + cause;
  throw failure;
}

[[noreturn]] void FailArchive(struct archive* reader, const std::string& action, const std::string& path) {
  FailArchive(CauseOf(reader, path), action, path);
}

// libarchive converts entry names to the current locale's charset; in the C locale (a Node
// process's) a zip's UTF-8 name "Zürich.txt" cannot be converted and comes back empty. Each job
// that reads headers runs its thread in UTF-8 for its duration (platform::Utf8Locale).
using platform::Utf8Locale;

Napi::FunctionReference& ReaderClass(Napi::Env env) { return AddonData::Of(env)->archiveReaderClass; }

struct Block {
  uint8_t* bytes = nullptr;
  size_t length = 0;
  // Archive bytes consumed after this read: with the bytes produced, the entry's ratio.
  int64_t position = 0;
  ~Block() { std::free(bytes); }
};

struct EntryHeader {
  bool end = false;
  // No entry: archiveNext stopped passing over other shards' entries to let JS see progress.
  bool passing = false;
  // Entries of other shards passed over before this one (or this stop).
  int64_t passedOver = 0;
  std::string path, type, format, filter;
  // A symlink's or hardlink's target ("" for other entries).
  std::string link;
  // The name's bytes as stored, when libarchive could not read them as UTF-8 (then `path` has
  // U+FFFD in place of the bytes that are not).
  bool pathNotUtf8 = false;
  std::string rawPath;
  // The entry's data is encrypted (a zip's password-protected member): it cannot be read.
  bool encrypted = false;
  // libarchive's warning about this header (a name it could not convert, ...), or "".
  std::string warning;
  int64_t size = -1;
  // `size` is the data's size by construction: a tar's regular file (a zip's header may lie; its
  // data then decides, as libarchive reads it).
  bool exactSize = false;
  int64_t mtime = -1;
  // Bytes of the archive file read so far (compressed): how far through the input a run is.
  int64_t position = 0;
  // A small tar entry's data, read with its header (one job instead of two), or why it could not be.
  std::unique_ptr<Block> data;
  std::unique_ptr<H5Failure> dataFailure;
};

// Reads up to maxBytes of the current entry's data into `block` (libarchive fills the request
// across its blocks until the entry ends).
void ReadBlock(ArchiveReader* reader, struct archive* a, size_t maxBytes, Block& block) {
  block.bytes = static_cast<uint8_t*>(std::malloc(maxBytes));
  if (!block.bytes) FailUsage("out of memory reading an archive", reader->Path());
  la_ssize_t got = archive_read_data(a, block.bytes, maxBytes);
  if (got < 0) {
    std::string cause = CauseOf(a, reader->Path(), reader->FatalCause());
    if (got == ARCHIVE_FATAL) reader->FatalCause() = cause;
    FailArchive(cause, "cannot read entry data of", reader->Path());
  }
  block.length = static_cast<size_t>(got);
  block.position = archive_filter_bytes(a, -1);
}

// The reader's `position` after a read, and the block as a Buffer that owns its bytes.
Napi::Value BlockToJs(Napi::Env env, ArchiveReader* reader, Block& block) {
  reader->Value().Set("position", static_cast<double>(block.position));
  uint8_t* bytes = block.bytes;
  block.bytes = nullptr;
  return Napi::Buffer<uint8_t>::New(env, bytes, block.length, [](Napi::Env, uint8_t* data) { std::free(data); });
}

const char* EntryType(mode_t type) {
  switch (type) {
    case AE_IFREG: return "file";
    case AE_IFDIR: return "directory";
    case AE_IFLNK: return "symlink";
    case AE_IFIFO: return "fifo";
    case AE_IFSOCK: return "socket";
    case AE_IFCHR: return "character device";
    case AE_IFBLK: return "block device";
    default: return "other";
  }
}

// archiveOpen's `shard` ({ group, index, count }, checked in JS), or no filter.
ShardFilter ShardFilterOf(const Napi::Value& value) {
  ShardFilter filter;
  if (!value.IsObject()) return filter;
  Napi::Object shard = value.As<Napi::Object>();
  filter.group = shard.Get("group").ToString().Utf8Value();
  filter.index = static_cast<uint64_t>(shard.Get("index").ToNumber().Int64Value());
  filter.count = static_cast<uint64_t>(shard.Get("count").ToNumber().Int64Value());
  return filter;
}

// archiveOpen(path, blockSize, shard?) → reader; with `shard` ({ group, index, count }),
// archiveNext passes over the entries another shard owns (shard_filter.h).
Job ArchiveOpen(const Napi::CallbackInfo& info) {
  std::string path = info[0].ToString().Utf8Value();
  size_t blockSize = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 1 << 16;
  ShardFilter shard = ShardFilterOf(info[2]);
  auto opened = std::make_shared<struct archive*>(nullptr);
  Job job;
  job.Unlocked([path, blockSize, opened]() {
    Utf8Locale utf8;
    struct archive* reader = archive_read_new();
    archive_read_support_filter_all(reader);
    // Every container format but the text-based ones (mtree, warc): those take plain text, such
    // as a gzipped CSV, for a listing of entries.
    archive_read_support_format_7zip(reader);
    archive_read_support_format_ar(reader);
    archive_read_support_format_cab(reader);
    archive_read_support_format_cpio(reader);
    archive_read_support_format_empty(reader);
    archive_read_support_format_iso9660(reader);
    archive_read_support_format_lha(reader);
    archive_read_support_format_rar(reader);
    archive_read_support_format_rar5(reader);
    archive_read_support_format_tar(reader);
    archive_read_support_format_xar(reader);
    archive_read_support_format_zip(reader);
    // A lone compressed file (data.json.gz) is one entry of the "raw" format; every real
    // archive format bids higher, so it only wins when nothing else matches.
    archive_read_support_format_raw(reader);
    // A tar's end is two zero blocks, but a zero block also ends the data libarchive reads as
    // headers (a file named 'x/' is a directory to it), and `cat a.tar b.tar` puts b after a's
    // end: read on to the file's end, so no entry after them goes without a row (GNU tar -i).
    archive_read_set_format_option(reader, "tar", "read_concatenated_archives", "1");
    if (platform::OpenArchiveFile(reader, path, blockSize) != ARCHIVE_OK) {
      std::unique_ptr<struct archive, int (*)(struct archive*)> owner(reader, archive_read_free);
      FailArchive(reader, "cannot open archive", path);
    }
    *opened = reader;
  });
  job.done = [opened, path, shard](Napi::Env env) -> Napi::Value { return ArchiveReader::New(env, *opened, path, shard); };
  return job;
}

// The entry's own facts (name, type, size, link target, time), as libarchive read them.
void DescribeEntry(struct archive_entry* entry, EntryHeader& header) {
  const char* name = archive_entry_pathname_utf8(entry);
  if (!name) {
    name = archive_entry_pathname(entry);
    header.pathNotUtf8 = name != nullptr;
    if (name) header.rawPath = name;
  }
  header.path = name ? name : "";
  header.type = EntryType(archive_entry_filetype(entry));
  header.size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
  header.encrypted = archive_entry_is_data_encrypted(entry) != 0;
  // A hardlink entry has no data of its own (its filetype is often unset): it is the link. One
  // that carries data (cpio puts a file's data on its last link) is that file.
  const char* hardlink = archive_entry_hardlink_utf8(entry);
  if (!hardlink) hardlink = archive_entry_hardlink(entry);
  const char* symlink = archive_entry_symlink_utf8(entry);
  if (!symlink) symlink = archive_entry_symlink(entry);
  if (hardlink && header.size > 0) {
    header.type = "file";
  } else if (hardlink) {
    header.type = "hardlink";
    header.link = hardlink;
  } else if (symlink) {
    header.type = "symlink";
    header.link = symlink;
  }
  header.mtime = archive_entry_mtime_is_set(entry) ? archive_entry_mtime(entry) : -1;
}

// Where the entry stands in the archive: its format, outer filter and the bytes read so far.
void DescribeArchive(struct archive* a, EntryHeader& header) {
  const char* format = archive_format_name(a);
  header.format = format ? format : "";
  const char* filter = archive_filter_count(a) > 1 ? archive_filter_name(a, 0) : "none";
  header.filter = filter ? filter : "";
  header.position = archive_filter_bytes(a, -1);
  // By the format's code: a pax archive's name ("POSIX pax interchange format") has no "tar".
  const bool tar = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
  header.exactSize = tar && header.type == "file" && header.size >= 0;
}

// Reads a small entry's data with its header; a failed read is kept for the JS side to throw.
void ReadInlineData(ArchiveReader* reader, struct archive* a, int64_t inlineMax, EntryHeader& header) {
  if (!header.exactSize || header.size > inlineMax || header.encrypted) return;
  header.data = std::make_unique<Block>();
  try {
    ReadBlock(reader, a, std::max<size_t>(1, static_cast<size_t>(header.size)), *header.data);
  } catch (const H5Failure& failure) {
    header.dataFailure = std::make_unique<H5Failure>(failure);
    header.data.reset();
  }
}

// archiveNext's result for one header (null at the archive's end).
Napi::Value EntryHeaderToJs(Napi::Env env, ArchiveReader* reader, const EntryHeader& header) {
  if (header.end) return env.Null();
  Napi::Object object = Napi::Object::New(env);
  if (header.passedOver > 0) object.Set("passedOver", static_cast<double>(header.passedOver));
  if (header.passing) {
    object.Set("passing", true);
    object.Set("position", static_cast<double>(header.position));
    return object;
  }
  object.Set("path", header.path);
  object.Set("type", header.type);
  object.Set("size", static_cast<double>(header.size));
  object.Set("mtime", static_cast<double>(header.mtime));
  object.Set("format", header.format);
  object.Set("filter", header.filter);
  object.Set("position", static_cast<double>(header.position));
  if (header.exactSize) object.Set("exactSize", true);
  if (header.type == "symlink" || header.type == "hardlink") object.Set("link", header.link);
  if (header.encrypted) object.Set("encrypted", true);
  if (!header.warning.empty()) object.Set("warning", header.warning);
  if (header.pathNotUtf8) object.Set("rawPath", Napi::Buffer<char>::Copy(env, header.rawPath.data(), header.rawPath.size()));
  if (header.data) object.Set("data", BlockToJs(env, reader, *header.data));
  if (header.dataFailure) object.Set("dataError", MakeJsError(env, *header.dataFailure));
  return object;
}

// Whether the entry is another shard's, to pass over here. Only regular files with a name that
// needs no repair: whatever else archive-source.ts treats apart (a lone .gz named after its
// file, directories, links, damaged headers, names with warnings or not UTF-8, encrypted data)
// goes to JS, which hashes it there.
bool PassesOver(const ShardFilter& shard, const EntryHeader& header) {
  return shard.count > 0 && header.type == "file" && header.format != "raw" && header.warning.empty() &&
         !header.pathNotUtf8 && !header.encrypted && shard.OtherShardOwns(header.path);
}

// How long one archiveNext passes over other shards' entries before it returns `passing`, so
// that progress moves and an abort is seen: 16 MiB of archive read is about 0.1 s of gunzip here.
constexpr int64_t kPassingBytes = 16 << 20;
constexpr int64_t kPassingEntries = 1 << 16;

// Reads the next header into `header`; false at the archive's end.
bool ReadHeader(ArchiveReader* reader, struct archive* a, EntryHeader& header) {
  struct archive_entry* entry = nullptr;
  int status = archive_read_next_header(a, &entry);
  if (status == ARCHIVE_EOF) return false;
  if (status < ARCHIVE_WARN) FailArchive(CauseOf(a, reader->Path(), reader->FatalCause()), "cannot read the next entry of", reader->Path());
  if (status == ARCHIVE_WARN) {
    const char* warning = archive_error_string(a);
    header.warning = warning ? warning : "unknown libarchive warning";
  }
  DescribeEntry(entry, header);
  DescribeArchive(a, header);
  return true;
}

// archiveNext(reader) → { path, type, size (-1 unknown), exactSize? (true when size is the
//                         data's by construction), mtime (-1 unknown), format, filter,
//                         position (archive bytes read so far), link? (a link's target),
//                         rawPath? (the name's bytes, when they are not UTF-8),
//                         encrypted? (true when its data is), warning? (libarchive's, about
//                         this header), data? / dataError?, passedOver? } | null
//                       | { passing: true, passedOver, position }
// With a shard filter it first passes over the entries of other shards, counting them
// (`passedOver`); after a while of only those it returns `passing` instead of an entry.
// A tar's regular file of at most `inlineMax` bytes (its header's size is its data's) comes
// with its data, read in the same job: `data`, or `dataError` (the Error a read would throw).
Job ArchiveNext(const Napi::CallbackInfo& info) {
  ArchiveReader* reader = ArchiveReader::From(info[0]);
  int64_t inlineMax = info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : 0;
  auto header = std::make_shared<EntryHeader>();
  Job job;
  job.pins.push_back(info[0]);
  job.Unlocked([reader, header, inlineMax]() {
    std::lock_guard<std::mutex> guard(reader->Guard());
    Utf8Locale utf8;
    struct archive* a = reader->Get();
    const int64_t start = archive_filter_bytes(a, -1);
    int64_t passed = 0;
    for (;;) {
      if (!ReadHeader(reader, a, *header)) {
        header->end = true;
        return;
      }
      if (!PassesOver(reader->Shard(), *header)) break;
      const int skipped = archive_read_data_skip(a);
      if (skipped < ARCHIVE_WARN) {
        std::string cause = CauseOf(a, reader->Path(), reader->FatalCause());
        if (skipped == ARCHIVE_FATAL) reader->FatalCause() = cause;
        FailArchive(cause, "cannot read the next entry of", reader->Path());
      }
      passed++;
      const int64_t position = archive_filter_bytes(a, -1);
      if (position - start >= kPassingBytes || passed >= kPassingEntries) {
        *header = EntryHeader();
        header->passing = true;
        header->passedOver = passed;
        header->position = position;
        return;
      }
      *header = EntryHeader();
    }
    header->passedOver = passed;
    ReadInlineData(reader, a, inlineMax, *header);
  });
  job.done = [header, reader](Napi::Env env) { return EntryHeaderToJs(env, reader, *header); };
  return job;
}


// archiveRead(reader, maxBytes) → Buffer (empty at the end of the entry); sets the reader's
// `position` (archive bytes consumed so far), so a caller can watch an entry's expansion.
Job ArchiveRead(const Napi::CallbackInfo& info) {
  ArchiveReader* reader = ArchiveReader::From(info[0]);
  size_t maxBytes = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 1 << 20;
  if (maxBytes == 0) maxBytes = 1;
  auto block = std::make_shared<Block>();
  Job job;
  job.pins.push_back(info[0]);
  job.Unlocked([reader, maxBytes, block]() {
    std::lock_guard<std::mutex> guard(reader->Guard());
    ReadBlock(reader, reader->Get(), maxBytes, *block);
  });
  job.done = [reader, block](Napi::Env env) -> Napi::Value { return BlockToJs(env, reader, *block); };
  return job;
}

Job ArchiveClose(const Napi::CallbackInfo& info) {
  ArchiveReader* reader = ArchiveReader::From(info[0]);
  Job job;
  job.pins.push_back(info[0]);
  job.Unlocked([reader]() {
    std::lock_guard<std::mutex> guard(reader->Guard());
    reader->Close();
  });
  return job;
}

}  // namespace

void ArchiveReader::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "ArchiveReader", {});
  ReaderClass(env) = Napi::Persistent(ctor);
  ExportJobs(env, exports, {{"archiveOpen", ArchiveOpen}, {"archiveNext", ArchiveNext},
                            {"archiveRead", ArchiveRead}, {"archiveClose", ArchiveClose}});
}

Napi::Object ArchiveReader::New(Napi::Env env, struct archive* reader, std::string path, ShardFilter shard) {
  Napi::Object object = ReaderClass(env).New({});
  ArchiveReader* wrapper = Unwrap(object);
  wrapper->archive_ = reader;
  wrapper->path_ = std::move(path);
  wrapper->shard_ = std::move(shard);
  object.Set("path", wrapper->path_);
  return object;
}

ArchiveReader* ArchiveReader::From(const Napi::Value& value) {
  Napi::Env env = value.Env();
  if (value.IsObject() && value.As<Napi::Object>().InstanceOf(ReaderClass(env).Value())) {
    return Unwrap(value.As<Napi::Object>());
  }
  throw Napi::TypeError::New(env, "expected an archive reader");
}

ArchiveReader::ArchiveReader(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ArchiveReader>(info) {}

ArchiveReader::~ArchiveReader() { Close(); }

struct archive* ArchiveReader::Get() const {
  if (!archive_) FailUsage("the archive reader is closed", path_);
  return archive_;
}

void ArchiveReader::Close() {
  if (archive_) archive_read_free(archive_);
  archive_ = nullptr;
}

void InitArchive(Napi::Env env, Napi::Object exports) { ArchiveReader::Init(env, exports); }

}  // namespace h5dat
