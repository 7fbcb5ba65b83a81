#pragma once
// convert --shard inside the archive reader: the entries another shard owns are passed over in
// the worker (their data skipped by libarchive), never crossing to JS. The assignment must be
// src/convert/shard.ts's shardOf exactly, over the source path src/sources/archive-source.ts
// makes of libarchive's name; a name this side cannot make into the same string is left to JS.
#include <cstdint>
#include <string>

namespace h5dat {

struct ShardFilter {
  // The input's group name ("" for none), hashed as "<group>\n<source path>".
  std::string group;
  uint64_t index = 0;
  // 0: no filter (every entry goes to JS).
  uint64_t count = 0;

  // Whether the entry named `name` (libarchive's UTF-8 pathname) is another shard's. False for a
  // name that is not strict UTF-8: JS sees it with U+FFFD substitutions this side does not make.
  bool OtherShardOwns(const std::string& name) const;
};

// The source path of an archive member: its name without leading "./" (archive-source.ts).
std::string SourcePathOf(const std::string& name);

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), which
// V8 decodes and node:crypto re-encodes to the same bytes.
bool IsStrictUtf8(const std::string& text);

// shardOf: the first 8 bytes of SHA-256("<group>\n<source path>"), big-endian, mod count.
uint64_t ShardOf(const std::string& group, const std::string& sourcePath, uint64_t count);

}  // namespace h5dat
